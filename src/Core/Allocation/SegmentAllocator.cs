using System.Collections.Immutable;
using Superbridge.Core.Model;
using Superbridge.Core.Observed;
using Superbridge.Core.Validation;

namespace Superbridge.Core.Allocation;

/// <summary>
/// Chooses every identifier a segment needs: device names, GRE keys, L2TP tunnel/session ids and
/// ports, the VNI, and what teardown must restore. Stable: values in this segment's previous
/// allocation are kept, so re-allocating changes nothing and a new host gets only new values.
/// Pure: the caller persists the returned <see cref="Segment"/>.
/// </summary>
public static class SegmentAllocator
{
    /// <param name="existing">All stored segments; one with the same name is this segment's previous version.</param>
    /// <param name="observed">Optional inventory: values used by devices we did not create are avoided,
    /// and the router's ip_forward and containers' current links are recorded for teardown.</param>
    public static Result<Segment> Allocate(
        SegmentSpec spec,
        IReadOnlyDictionary<HostId, HostInfo> hosts,
        IEnumerable<Segment> existing,
        IReadOnlyDictionary<HostId, ObservedHost>? observed = null)
    {
        spec = InputNormalizer.Normalize(spec);
        var errors = new ErrorList();
        SegmentValidator.Validate(spec, hosts, observed, errors, forTeardown: false);
        if (errors.Count > 0) return Result<Segment>.Fail(errors.ToImmutable());

        var all = existing.Where(s => s?.Spec is not null && s.Allocation is not null).Select(InputNormalizer.Normalize).ToList();
        var previous = all.FirstOrDefault(s => s.Spec.Name == spec.Name)?.Allocation;
        var others = all.Where(s => s.Spec.Name != spec.Name).ToList();
        CrossSegmentRules.Check(spec, others, errors);
        if (errors.Count > 0) return Result<Segment>.Fail(errors.ToImmutable());

        var usage = new UsageIndex();
        foreach (var other in others) usage.AddSegment(other);
        AddObserved(usage, spec, previous, observed);
        foreach (var member in spec.Members) usage[member].Names.Add(spec.Bridge);

        var allocation = new SegmentAllocation { Segment = spec.Name };
        if (spec.Transport == Transport.Vxlan)
            allocation = AllocateVxlan(spec, previous, usage, errors, allocation);
        else
            allocation = allocation with { Links = LinkAllocator.Allocate(spec, previous, usage, errors) };
        if (errors.Count > 0) return Result<Segment>.Fail(errors.ToImmutable());

        allocation = allocation with
        {
            Router = spec.Router is { } router ? AllocateRouter(router, previous, others, observed) : null,
            Attachments = AllocateAttachments(spec, previous, observed),
            Preexisting = previous?.Preexisting.Where(p => spec.Members.Contains(p.Host)).ToImmutableArray() ?? [],
        };
        var segment = new Segment(spec, allocation);
        if (observed is not null)
            segment = segment with { Allocation = allocation with { Preexisting = PreexistingSteps.Record(segment, previous, hosts, observed) } };
        return Result<Segment>.Ok(segment);
    }

    private static SegmentAllocation AllocateVxlan(
        SegmentSpec spec, SegmentAllocation? previous, UsageIndex usage, ErrorList errors, SegmentAllocation allocation)
    {
        uint vni;
        if (spec.Vni is { } pinned)
        {
            vni = (uint)pinned;
            if (pinned != previous?.Vni && !usage.Vnis.Add(vni))
                errors.Add("vni", ErrorCode.Conflict, $"VNI {vni} is already in use");
        }
        else if (previous?.Vni is { } keptVni && usage.Vnis.Add(keptVni)) vni = keptVni;
        else vni = VxlanVniAllocator.Next(usage.Vnis);

        // Kept names are reserved on their own hosts before new ones are chosen (one device per host).
        var kept = spec.Members.Select(member =>
        {
            var name = previous?.VxlanDevices.FirstOrDefault(d => d.Host == member)?.Device;
            return name is not null && usage[member].Names.Add(name) ? name : null;
        }).ToArray();
        var devices = ImmutableArray.CreateBuilder<HostDevice>(spec.Members.Length);
        for (var i = 0; i < spec.Members.Length; i++)
            devices.Add(new HostDevice(spec.Members[i], kept[i] ?? NextName(usage[spec.Members[i]], spec)));
        return allocation with { Vni = vni, VxlanDevices = devices.MoveToImmutable() };
    }

    internal static string NextName(HostUsage host, SegmentSpec spec)
    {
        while (true)
        {
            var name = DeviceNamer.Name(spec.Transport, spec.Name, host.NextDeviceIndex++);
            if (host.Names.Add(name)) return name;
        }
    }

    private static RouterAllocation AllocateRouter(
        RouterSpec router, SegmentAllocation? previous, IReadOnlyList<Segment> others, IReadOnlyDictionary<HostId, ObservedHost>? observed)
    {
        if (previous?.Router is { } kept && kept.Host == router.Host) return kept;
        // Another segment already routes here: what it recorded is the value from before Superbridge
        // (the host shows "1" now because of it).
        var sharing = others.FirstOrDefault(o => o.Spec.Router is { Mode: RouterMode.Gateway } r && r.Host == router.Host
            && o.Allocation.Router?.PreviousIpv4Forward is not null);
        if (router.Mode == RouterMode.Gateway && sharing is not null)
            return new RouterAllocation(router.Host, sharing.Allocation.Router!.PreviousIpv4Forward);
        string? forward = null;
        if (router.Mode == RouterMode.Gateway && observed is not null && observed.TryGetValue(router.Host, out var host)
            && host.Ipv4Forward is "0" or "1")
            forward = host.Ipv4Forward;
        return new RouterAllocation(router.Host, forward);
    }

    private static ImmutableArray<AttachmentAllocation> AllocateAttachments(
        SegmentSpec spec, SegmentAllocation? previous, IReadOnlyDictionary<HostId, ObservedHost>? observed)
    {
        var result = ImmutableArray.CreateBuilder<AttachmentAllocation>(spec.Attachments.Length);
        foreach (var attachment in spec.Attachments)
        {
            var kept = previous?.Attachments.FirstOrDefault(a => a.Host == attachment.Host && a.Container == attachment.Container);
            if (kept is not null) { result.Add(kept); continue; }
            // Validation guarantees the host is observed and the container's link, when it has one, is valid.
            var container = observed![attachment.Host].Containers.First(c => c.Name == attachment.Container);
            result.Add(new AttachmentAllocation(attachment.Host, attachment.Container, container.ConfiguredLink, container.State == "RUNNING"));
        }
        return result.MoveToImmutable();
    }

    /// <summary>Marks what exists on the hosts but is not this segment's as taken.</summary>
    private static void AddObserved(UsageIndex usage, SegmentSpec spec, SegmentAllocation? previous, IReadOnlyDictionary<HostId, ObservedHost>? observed)
    {
        if (observed is null) return;
        foreach (var member in spec.Members.Distinct())
        {
            if (!observed.TryGetValue(member, out var host)) continue;
            var own = new OwnValues(previous, member);
            var hostUsage = usage[member];
            foreach (var link in host.Links)
            {
                if (!own.Names.Contains(link.Name)) hostUsage.Names.Add(link.Name);
                if (link.Vxlan is { } vx && vx.Vni != previous?.Vni) usage.Vnis.Add(vx.Vni);
            }
            foreach (var tunnel in host.L2tpTunnels)
            {
                if (own.TunnelIds.Contains(tunnel.TunnelId)) continue;
                hostUsage.TunnelIds.Add(tunnel.TunnelId);
                if (tunnel.UdpSourcePort is { } port) hostUsage.Ports.Add(port);
            }
            foreach (var session in host.L2tpSessions)
                if (!own.SessionIds.Contains(session.SessionId)) hostUsage.SessionIds.Add(session.SessionId);
        }
    }

    private sealed class OwnValues
    {
        public HashSet<string> Names { get; } = new(StringComparer.Ordinal);
        public HashSet<uint> TunnelIds { get; } = [];
        public HashSet<uint> SessionIds { get; } = [];

        public OwnValues(SegmentAllocation? previous, HostId host)
        {
            if (previous is null) return;
            foreach (var device in previous.VxlanDevices.Where(d => d.Host == host)) Names.Add(device.Device);
            foreach (var link in previous.Links)
            {
                var end = link.A == host ? link : link.B == host ? link.Reversed() : null;
                if (end is null) continue;
                Names.Add(end.DeviceA);
                if (end.TunnelIdA is { } t) TunnelIds.Add(t);
                if (end.SessionIdA is { } s) SessionIds.Add(s);
            }
        }
    }
}
