using Superbridge.Core.Model;
using Superbridge.Core.Observed;

namespace Superbridge.Core.Validation;

/// <summary>A NIC the segment puts into its bridge, with the field that names it.</summary>
internal readonly record struct BridgedNic(string Path, HostId Host, string Interface);

/// <summary>
/// Uplinks and the external router's interface: on members, named properly, each once, at most one per segment
/// without STP (two NICs on one physical LAN joined again by the tunnels make a loop), and, for setup, never the
/// NIC the host is managed or tunnelled by (<see cref="UplinkGuard"/>), which needs the host observed.
/// The guard runs only on a spec that is otherwise sound (as the MTU check does): a wrong spec needs no host looked at.
/// </summary>
internal static class UplinkRules
{
    /// <summary>The external router's interface first, then the uplinks, in order.</summary>
    public static IEnumerable<BridgedNic> Of(SegmentSpec spec)
    {
        if (spec.Router is { Mode: RouterMode.External, ExternalInterface: { } external } router)
            yield return new BridgedNic("router.externalInterface", router.Host, external);
        for (var i = 0; i < spec.Uplinks.Length; i++)
            yield return new BridgedNic($"uplinks[{i}].interface", spec.Uplinks[i].Host, spec.Uplinks[i].Interface);
    }

    public static void Check(SegmentSpec spec, HashSet<HostId> listed, ErrorList errors)
    {
        var usable = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < spec.Uplinks.Length; i++)
        {
            var uplink = spec.Uplinks[i];
            var hostPath = $"uplinks[{i}].host";
            var hostOk = errors.Check(hostPath, ErrorCode.InvalidName, NameRules.HostIdProblem(uplink.Host.Value));
            if (hostOk && !listed.Contains(uplink.Host)) { errors.Add(hostPath, ErrorCode.NotMember, $"host {uplink.Host} is not a (valid) member of the segment"); hostOk = false; }
            var nameOk = errors.Check($"uplinks[{i}].interface", ErrorCode.InvalidName, NameRules.InterfaceProblem(uplink.Interface));
            if (hostOk && nameOk) usable.Add($"uplinks[{i}].interface");
        }
        if (spec.Router is { Mode: RouterMode.External, ExternalInterface: { } external }
            && NameRules.InterfaceProblem(external) is null && listed.Contains(spec.Router.Host))
            usable.Add("router.externalInterface");

        var nics = Of(spec).Where(n => usable.Contains(n.Path)).ToList();
        var first = new Dictionary<(HostId, string), string>();
        foreach (var nic in nics)
            if (!first.TryAdd((nic.Host, nic.Interface), nic.Path))
                errors.Add(nic.Path, ErrorCode.Duplicate, $"{nic.Interface} on {nic.Host} is already bridged by {first[(nic.Host, nic.Interface)]}");

        if (Of(spec).Count() > 1 && !spec.Stp)
            errors.Add("uplinks", ErrorCode.Cycle,
                $"{string.Join(", ", Of(spec).Select(n => $"{n.Interface} on {n.Host}"))} would all join the segment: two NICs on one physical LAN joined again by the tunnels make a loop; keep one, or enable stp");
    }

    /// <summary>For setup of an otherwise sound spec (releasing a NIC is always allowed): no NIC the host needs joins the bridge.</summary>
    public static void Guard(SegmentSpec spec, IReadOnlyDictionary<HostId, HostInfo> hosts, IReadOnlyDictionary<HostId, ObservedHost>? observed, ErrorList errors)
    {
        foreach (var nic in Of(spec))
        {
            if (observed is null || !observed.TryGetValue(nic.Host, out var host))
            {
                errors.Add(nic.Path, ErrorCode.Required,
                    $"host {nic.Host} has not been observed; bridging {nic.Interface} needs its interfaces, addresses and routes so the NIC it is managed by is never taken");
                continue;
            }
            var peers = spec.Members.Where(m => m != nic.Host).Select(m => hosts[m]);
            if (UplinkGuard.Problem(nic.Interface, spec.Bridge, hosts[nic.Host], host, peers) is { } refusal)
                errors.Add(nic.Path, refusal.Code, refusal.Reason);
        }
    }
}
