using Superbridge.Core.Model;
using Superbridge.Core.Planning;
using Superbridge.Core.Tests.Support;

namespace Superbridge.Core.Tests.Planning;

public class IpsecPairTests
{
    private static SegmentPlan Plan(SegmentSpec spec, int hosts)
    {
        var infos = Given.Hosts(hosts);
        var observed = Given.ObservedIpsecReady(hosts);
        return SegmentPlanner.Plan(Given.Allocated(spec, infos, observed: observed), infos, observed).Value;
    }

    /// <summary>The connections each host's plan writes ("ipsec:NAME" steps).</summary>
    private static List<string> Written(SegmentPlan plan, string host) =>
        [.. plan.Hosts.Single(h => h.Host == host).Steps.Where(s => s.Id.StartsWith("ipsec:", StringComparison.Ordinal)).Select(s => s.Id["ipsec:".Length..]).Order(StringComparer.Ordinal)];

    [Fact]
    public void Vxlan_has_a_connection_for_every_two_members_named_as_the_plan_writes_it_with_both_children()
    {
        var spec = Given.Segment(Transport.Vxlan, 3) with { Encryption = Encryption.Ipsec };

        var connections = IpsecPair.Of(spec);

        Assert.Equal([("h1", "h2"), ("h1", "h3"), ("h2", "h3")], connections.Select(c => (c.A.Value, c.B.Value)));
        var plan = Plan(spec, 3);
        foreach (var host in new[] { "h1", "h2", "h3" })
            Assert.Equal(connections.Where(c => c.A == host || c.B == host).Select(c => c.Name).Order(StringComparer.Ordinal), Written(plan, host));
        Assert.All(connections, c => Assert.Equal<string>([c.Name + "-out", c.Name + "-in"], c.Children(spec.Transport)));
    }

    [Fact]
    public void A_point_to_point_transport_has_one_connection_per_link_with_one_child()
    {
        var spec = Given.Segment(Transport.Gretap, 2) with { Encryption = Encryption.Ipsec };

        var connection = Assert.Single(IpsecPair.Of(spec));

        Assert.Equal(("h1", "h2"), (connection.A.Value, connection.B.Value));
        Assert.Equal([connection.Name], Written(Plan(spec, 2), "h1"));
        Assert.Equal<string>([connection.Name], connection.Children(spec.Transport));
    }

    [Fact]
    public void A_segment_without_encryption_has_no_connections()
    {
        Assert.Empty(IpsecPair.Of(Given.Segment(Transport.Vxlan, 3)));
    }
}
