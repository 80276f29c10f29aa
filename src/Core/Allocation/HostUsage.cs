using Superbridge.Core.Model;

namespace Superbridge.Core.Allocation;

/// <summary>What is already taken on one host: device names, L2TP tunnel and session ids, UDP ports, GRE keys.</summary>
internal sealed class HostUsage
{
    public HashSet<string> Names { get; } = new(StringComparer.Ordinal);
    public HashSet<uint> TunnelIds { get; } = [];
    public HashSet<uint> SessionIds { get; } = [];
    public HashSet<int> Ports { get; } = [];
    public HashSet<uint> GreKeys { get; } = [];

    // Search hints: values only get taken during one allocation, so scanning restarts where it left off.
    public uint NextTunnelId = 1;
    public uint NextSessionId = 1;
    public int NextPort = L2tpIdAllocator.FirstPort;
    public int NextDeviceIndex;
}

/// <summary>Usage per host, filled from other segments' allocations and observed state.</summary>
internal sealed class UsageIndex
{
    private readonly Dictionary<HostId, HostUsage> _hosts = [];

    public HashSet<uint> Vnis { get; } = [];

    /// <summary>GRE keys per host pair (ordered), which is what the kernel demultiplexes on.</summary>
    public HashSet<(HostId, HostId, uint)> GrePairs { get; } = [];

    public HostUsage this[HostId host]
    {
        get
        {
            if (!_hosts.TryGetValue(host, out var usage)) _hosts[host] = usage = new HostUsage();
            return usage;
        }
    }

    public void AddSegment(Segment segment)
    {
        foreach (var member in segment.Spec.Members) this[member].Names.Add(segment.Spec.Bridge);
        var allocation = segment.Allocation;
        if (allocation.Vni is { } vni) Vnis.Add(vni);
        foreach (var device in allocation.VxlanDevices) this[device.Host].Names.Add(device.Device);
        foreach (var link in allocation.Links) AddLink(link);
    }

    public void AddLink(LinkAllocation link)
    {
        AddEnd(this[link.A], link.DeviceA, link.TunnelIdA, link.SessionIdA, link.PortA);
        AddEnd(this[link.B], link.DeviceB, link.TunnelIdB, link.SessionIdB, link.PortB);
        if (link.GreKey is { } key)
        {
            this[link.A].GreKeys.Add(key);
            this[link.B].GreKeys.Add(key);
            GrePairs.Add(LinkAllocator.PairKey(link.A, link.B, key));
        }
    }

    private static void AddEnd(HostUsage usage, string device, uint? tunnelId, uint? sessionId, int? port)
    {
        usage.Names.Add(device);
        if (tunnelId is { } t) usage.TunnelIds.Add(t);
        if (sessionId is { } s) usage.SessionIds.Add(s);
        if (port is { } p) usage.Ports.Add(p);
    }
}
