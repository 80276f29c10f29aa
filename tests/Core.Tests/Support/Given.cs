using System.Collections.Immutable;
using Superbridge.Core.Allocation;
using Superbridge.Core.Model;
using Superbridge.Core.Observed;

namespace Superbridge.Core.Tests.Support;

/// <summary>Small, readable inputs: hosts h1..hN at N.N.N.N with every kernel feature.</summary>
internal static class Given
{
    public static readonly KernelFeatures AllFeatures = new(true, true, true, true, true, true);

    public static HostInfo Host(int n, string? address = null) => new()
    {
        Id = $"h{n}",
        Address = address ?? $"{n}.{n}.{n}.{n}",
        Features = AllFeatures,
    };

    public static Dictionary<HostId, HostInfo> Hosts(int count) =>
        Enumerable.Range(1, count).Select(n => Host(n)).ToDictionary(h => h.Id);

    public static Dictionary<HostId, HostInfo> Hosts(params HostInfo[] hosts) => hosts.ToDictionary(h => h.Id);

    public static RouterSpec Router(string host = "h1") => new()
    {
        Host = host,
        Gateway = "10.0.2.1/24",
        DhcpRange = new DhcpRange("10.0.2.2", "10.0.2.254"),
        LeaseTime = "12h",
        Nat = true,
    };

    /// <summary>A chain h1–h2–…–hN.</summary>
    public static SegmentSpec Segment(Transport transport, int hosts = 2, string name = "lan") => new()
    {
        Name = name,
        Transport = transport,
        Members = [.. Enumerable.Range(1, hosts).Select(n => new HostId($"h{n}"))],
        Links = transport == Transport.Vxlan ? [] : [.. Enumerable.Range(1, hosts - 1).Select(n => new LinkSpec { A = $"h{n}", B = $"h{n + 1}" })],
        Router = Router(),
    };

    public static LinkSpec Link(string a, string b) => new() { A = a, B = b };

    public static Segment Allocated(SegmentSpec spec, IReadOnlyDictionary<HostId, HostInfo> hosts,
        IEnumerable<Segment>? existing = null, IReadOnlyDictionary<HostId, ObservedHost>? observed = null) =>
        SegmentAllocator.Allocate(spec, hosts, existing ?? [], observed).Value;

    public static ObservedHost Observed(string host, params ObservedContainer[] containers) =>
        ObservedHost.Empty(host) with { Features = AllFeatures, Ipv4Forward = "0", Containers = [.. containers] };

    public static ObservedContainer Container(string name, string state = "RUNNING", string link = "lxcbr0") =>
        new() { Name = name, State = state, ConfiguredLink = link };

    /// <summary>strongSwan installed, charon running, a kernel with xfrm: what an encrypted segment needs.</summary>
    public static readonly IpsecFacts IpsecReady = new(Swanctl: true, Xfrm: true, CharonRunning: true) { Kernel = EspKernelSupport.Complete };

    public static Dictionary<HostId, ObservedHost> ObservedIpsecReady(int count) =>
        Enumerable.Range(1, count).ToDictionary(n => new HostId($"h{n}"), n => Observed($"h{n}") with { Ipsec = IpsecReady });

    public static Dictionary<HostId, ObservedHost> ObservedAll(int count) =>
        Enumerable.Range(1, count).ToDictionary(n => new HostId($"h{n}"), n => Observed($"h{n}"));

    public static string[] Argv(params string[] words) => words;

    /// <summary>Argv as an array: xunit compares ImmutableArray by reference, arrays element by element.</summary>
    public static string[] Words(this Superbridge.Core.Commands.Command command) => [.. command.Argv];
}
