using Superbridge.Operations;
using System.Collections.Immutable;
using Superbridge.Core.Allocation;
using Superbridge.Core.Model;
using Superbridge.Web.Hosts;
using Superbridge.Web.Inventory;
using Superbridge.Web.Segments;
using Superbridge.Web.Topology;

namespace Superbridge.Web.Tests.Topology;

/// <summary>Hosts and segments built the way the dashboard stores them, with Core allocating every identifier.</summary>
public static class TopologyFixtures
{
    public static StoredHost Host(string id, string address) => new()
    {
        Id = id,
        Name = id,
        Address = address,
        Username = "root",
        Authentication = HostAuthenticationKind.KeyPath,
        PrivateKeyPath = "/root/.ssh/id_ed25519",
        HostKeyFingerprint = "SHA256:uOzMFkp6Tq1BXgxUyFc+DHqk1ZuXvxgQMwFBiJ0WJEY",
    };

    /// <summary>h1 = 198.51.100.1, h2 = .2, … never inventoried (features unknown, MTU 1500).</summary>
    public static KnownHosts Known(int count, params HostStatus[] statuses) => new(
        [.. Enumerable.Range(1, count).Select(i => Host($"h{i}", $"198.51.100.{i}"))],
        statuses.ToImmutableDictionary(s => s.HostId));

    public static RouterSpec Gateway(string host, string gateway = "10.0.2.1/24", string start = "10.0.2.2", string end = "10.0.2.254") => new()
    {
        Host = host,
        Gateway = gateway,
        DhcpRange = new DhcpRange(start, end),
        Nat = true,
    };

    public static SegmentSpec Vxlan(string name, params string[] members) => new()
    {
        Name = name,
        Transport = Transport.Vxlan,
        Members = [.. members.Select(m => new HostId(m))],
        Router = Gateway(members[0]),
    };

    public static SegmentSpec Gretap(string name, params (string A, string B)[] links) => new()
    {
        Name = name,
        Transport = Transport.Gretap,
        Members = [.. links.SelectMany(l => new[] { l.A, l.B }).Distinct().Select(m => new HostId(m))],
        Links = [.. links.Select(l => new LinkSpec { A = l.A, B = l.B })],
        Router = Gateway(links[0].A),
    };

    /// <summary>Allocates <paramref name="spec"/> after <paramref name="before"/> (so ids avoid theirs).</summary>
    public static Segment Allocate(SegmentSpec spec, KnownHosts hosts, params Segment[] before) =>
        SegmentAllocator.Allocate(spec, hosts.Infos(), before).Value;

    public static SegmentRecord Applied(Segment segment) => new(segment, segment);

    public static SegmentRecord Pending(Segment segment) => new(segment, null);
}
