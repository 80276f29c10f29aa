using Superbridge.Core.Allocation;
using Superbridge.Core.Model;
using Superbridge.Core.Observed;
using Superbridge.Core.Planning.Steps;
using Superbridge.Core.Validation;

namespace Superbridge.Core.Planning;

/// <summary>
/// Expands a validated segment into every step each member host needs, in dependency order:
/// modules, bridge, tunnels, router, attachments. Teardown is this list reversed.
/// </summary>
internal static class SetupStepBuilder
{
    public static Dictionary<HostId, List<StepDraft>> Build(
        Segment segment, IReadOnlyDictionary<HostId, HostInfo> hosts, IReadOnlyDictionary<HostId, ObservedHost>? observed, int mtu)
    {
        var spec = segment.Spec;
        var allocation = segment.Allocation;
        var addresses = spec.Members.ToDictionary(m => m, m => ObservedIndex.Canonical(hosts[m].Address));
        var steps = spec.Members.ToDictionary(m => m, _ => new List<StepDraft>());

        foreach (var member in spec.Members)
        {
            var list = steps[member];
            foreach (var module in ModuleSteps.For(spec.Transport, SegmentValidator.Family(hosts[member])))
                list.Add(ModuleSteps.Load(module));
            list.AddRange(BridgeSteps.For(spec.Bridge, mtu, spec.Stp));
        }

        if (spec.Transport == Transport.Vxlan)
        {
            var vni = allocation.Vni!.Value;
            var peers = spec.Members.Select(m => addresses[m]).ToList();
            foreach (var device in allocation.VxlanDevices)
            {
                var local = addresses[device.Host];
                var others = peers.Where(p => p != local).ToList();
                steps[device.Host].AddRange(VxlanSteps.For(device.Device, vni, local, hosts[device.Host].UnderlayDevice, others, spec.Bridge, mtu, observed is not null));
            }
        }
        else
        {
            foreach (var link in allocation.Links)
            {
                AddLinkEnd(steps[link.A], spec, link, addresses, mtu);
                AddLinkEnd(steps[link.B], spec, link.Reversed(), addresses, mtu);
            }
        }

        var router = spec.Router!;
        steps[router.Host].AddRange(RouterSteps.For(router, allocation.Router!, spec.Bridge, mtu));

        foreach (var attachment in allocation.Attachments)
        {
            ObservedContainer? container = null;
            if (observed is not null && observed.TryGetValue(attachment.Host, out var host))
                container = host.Containers.FirstOrDefault(c => c.Name == attachment.Container);
            if (container is null) continue; // teardown of a container that no longer exists: nothing to undo
            var running = container.State == "RUNNING";
            steps[attachment.Host].AddRange(AttachmentSteps.For(attachment, hosts[attachment.Host].LxcPath, spec.Bridge, running));
        }
        return steps;
    }

    /// <summary>One end, oriented so A is the host being planned.</summary>
    private static void AddLinkEnd(List<StepDraft> list, SegmentSpec spec, LinkAllocation end, Dictionary<HostId, string> addresses, int mtu)
    {
        var local = addresses[end.A];
        var remote = addresses[end.B];
        if (spec.Transport == Transport.Gretap)
        {
            var family = local.Contains(':') ? System.Net.Sockets.AddressFamily.InterNetworkV6 : System.Net.Sockets.AddressFamily.InterNetwork;
            list.AddRange(GretapSteps.For(end.DeviceA, family, local, remote, end.GreKey!.Value, spec.Bridge, mtu));
        }
        else
        {
            list.AddRange(L2tpSteps.For(end, local, remote, spec.Transport == Transport.L2tpv3Udp, spec.Bridge, mtu));
        }
    }
}
