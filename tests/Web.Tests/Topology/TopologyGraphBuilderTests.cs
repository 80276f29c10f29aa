using Superbridge.Core.Model;
using Superbridge.Web.Inventory;
using Superbridge.Web.Topology;
using static Superbridge.Web.Tests.Topology.TopologyFixtures;

namespace Superbridge.Web.Tests.Topology;

public sealed class TopologyGraphBuilderTests
{
    [Fact]
    public void Hosts_become_nodes_in_store_order_with_their_state_and_the_same_positions_every_time()
    {
        var hosts = Known(3, new HostStatus { HostId = "h1", State = HostState.Online }, new HostStatus { HostId = "h2", State = HostState.Offline });

        var first = TopologyGraphBuilder.Build(hosts, []);
        var again = TopologyGraphBuilder.Build(hosts, []);

        Assert.Equal(["h1:Online", "h2:Offline", "h3:Unknown"], first.Nodes.Select(n => $"{n.HostId}:{n.State}"));
        Assert.Equal(first.Nodes.Select(n => (n.X, n.Y)), again.Nodes.Select(n => (n.X, n.Y)));
        Assert.Equal(3, first.Nodes.Select(n => (n.X, n.Y)).Distinct().Count());
        // The first host is at the top of the circle.
        Assert.Equal(first.Nodes.Min(n => n.Y), first.Nodes[0].Y);
    }

    [Fact]
    public void Nodes_on_the_circle_never_overlap_however_many_hosts()
    {
        foreach (var count in new[] { 2, 5, 12, 40 })
        {
            var layout = TopologyGraphBuilder.Layout(count);
            for (var i = 0; i < count; i++)
            for (var j = i + 1; j < count; j++)
            {
                var apart = Math.Abs(layout[i].X - layout[j].X) >= TopologyGraphBuilder.NodeWidth
                    || Math.Abs(layout[i].Y - layout[j].Y) >= TopologyGraphBuilder.NodeHeight;
                Assert.True(apart, $"{count} hosts: {i} at {layout[i]} overlaps {j} at {layout[j]}");
            }
        }
    }

    [Fact]
    public void A_gretap_segment_draws_its_links_and_a_vxlan_segment_every_pair_each_in_its_own_colour()
    {
        var hosts = Known(3);
        var gre = Allocate(Gretap("backbone", ("h1", "h2"), ("h2", "h3")), hosts);
        var vx = Allocate(Vxlan("lab", "h1", "h2", "h3") with { Bridge = "sblab0", Router = Gateway("h1", "10.0.3.1/24", "10.0.3.2", "10.0.3.254") }, hosts, gre);

        var graph = TopologyGraphBuilder.Build(hosts, [Pending(vx), Applied(gre)]);

        Assert.Equal(
            [
                $"backbone h1-h2 key {gre.Allocation.Links[0].GreKey} {SegmentPalette.For(0)} applied",
                $"backbone h2-h3 key {gre.Allocation.Links[1].GreKey} {SegmentPalette.For(0)} applied",
                $"lab h1-h2 VNI {vx.Allocation.Vni} {SegmentPalette.For(1)} pending",
                $"lab h1-h3 VNI {vx.Allocation.Vni} {SegmentPalette.For(1)} pending",
                $"lab h2-h3 VNI {vx.Allocation.Vni} {SegmentPalette.For(1)} pending",
            ],
            graph.Edges.Select(e => $"{e.Segment} {e.A}-{e.B} {e.Label} {e.Color} {(e.Pending ? "pending" : "applied")}"));
        Assert.Equal(["backbone:Gretap:3:h1", "lab:Vxlan:3:h1"], graph.Legend.Select(l => $"{l.Segment}:{l.Transport}:{l.Members}:{l.Router}"));
        Assert.NotEqual(graph.Legend[0].Color, graph.Legend[1].Color);
    }

    [Fact]
    public void Links_to_hosts_no_longer_stored_are_left_out()
    {
        var three = Known(3);
        var segment = Allocate(Gretap("lan", ("h1", "h2"), ("h1", "h3")), three);

        var graph = TopologyGraphBuilder.Build(Known(2), [Applied(segment)]);

        Assert.Equal(["h1-h2"], graph.Edges.Select(e => $"{e.A}-{e.B}"));
    }

    [Theory]
    [InlineData(Transport.Gretap, "key 7")]
    [InlineData(Transport.L2tpv3Ip, "tunnel 1↔2")]
    [InlineData(Transport.L2tpv3Udp, "tunnel 1↔2 udp 5000↔5001")]
    public void Edge_labels_name_the_values_that_pair_the_two_ends(Transport transport, string label)
    {
        var link = new Superbridge.Core.Allocation.LinkAllocation
        {
            A = "h1", B = "h2", DeviceA = "x", DeviceB = "y", GreKey = transport == Transport.Gretap ? 7u : null,
            TunnelIdA = 1, TunnelIdB = 2, PortA = transport == Transport.L2tpv3Udp ? 5000 : null, PortB = transport == Transport.L2tpv3Udp ? 5001 : null,
        };

        Assert.Equal(label, TopologyGraphBuilder.Label(transport, link));
    }

    [Fact]
    public void Tunnels_of_different_segments_between_the_same_hosts_get_their_own_lanes()
    {
        var hosts = Known(3);
        var vx = Allocate(Vxlan("lab", "h1", "h2", "h3"), hosts);
        var gre = Allocate(Gretap("backbone", ("h3", "h1")) with { Bridge = "sbbb0", Router = Gateway("h3", "10.0.3.1/24", "10.0.3.2", "10.0.3.9") }, hosts, vx);

        var graph = TopologyGraphBuilder.Build(hosts, [Applied(vx), Applied(gre)]);

        Assert.Equal(
            ["backbone h3-h1 -0.5", "lab h1-h2 0", "lab h1-h3 0.5", "lab h2-h3 0"],
            graph.Edges.Select(e => $"{e.Segment} {e.A}-{e.B} {e.Lane.ToString(System.Globalization.CultureInfo.InvariantCulture)}"));
    }

    [Fact]
    public void The_tunnel_pickers_offer_hosts_matching_the_typed_name_or_address_without_the_one_already_picked()
    {
        var graph = TopologyGraphBuilder.Build(Known(3), []);

        Assert.Equal(["h1", "h2", "h3"], TopologyGraphBuilder.MatchingHosts(graph, "", except: null));
        Assert.Equal(["h1", "h3"], TopologyGraphBuilder.MatchingHosts(graph, null, except: "h2"));
        Assert.Equal(["h2"], TopologyGraphBuilder.MatchingHosts(graph, " H2 ", except: null));
        Assert.Equal(["h3"], TopologyGraphBuilder.MatchingHosts(graph, "100.3", except: null));
    }
}
