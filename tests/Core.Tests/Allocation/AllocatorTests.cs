using Superbridge.Core.Allocation;
using Superbridge.Core.Model;
using Superbridge.Core.Observed;
using Superbridge.Core.Tests.Support;
using Superbridge.Core.Validation;

namespace Superbridge.Core.Tests.Allocation;

public class AllocatorTests
{
    private static RouterSpec OtherRouter(string host = "h1", int net = 9) => Given.Router(host) with
    {
        Gateway = $"10.{net}.0.1/24", DhcpRange = new($"10.{net}.0.2", $"10.{net}.0.200"),
    };

    /// <summary>A star: h1 in the middle, linked to every other host.</summary>
    private static SegmentSpec Star(Transport transport, int hosts, string name = "lan") => Given.Segment(transport, hosts, name) with
    {
        Links = [.. Enumerable.Range(2, hosts - 1).Select(n => Given.Link("h1", $"h{n}"))],
    };

    [Fact]
    public void L2tp_ids_are_mirrored_and_unique_per_host()
    {
        var hosts = Given.Hosts(5);
        var segment = Given.Allocated(Star(Transport.L2tpv3Udp, 5), hosts);
        var ends = segment.Allocation.Links.SelectMany(l => new[] { l, l.Reversed() }).ToList();
        foreach (var group in ends.GroupBy(e => e.A))
        {
            Assert.Equal(group.Count(), group.Select(e => e.TunnelIdA).Distinct().Count());
            Assert.Equal(group.Count(), group.Select(e => e.SessionIdA).Distinct().Count());
            Assert.Equal(group.Count(), group.Select(e => e.PortA).Distinct().Count());
            Assert.Equal(group.Count(), group.Select(e => e.DeviceA).Distinct().Count());
        }
        var hub = segment.Allocation.Links.Select(l => l.TunnelIdA).ToArray();
        Assert.Equal([1u, 2u, 3u, 4u], hub);
        Assert.Equal([1701, 1702, 1703, 1704], segment.Allocation.Links.Select(l => l.PortA!.Value));
        Assert.All(segment.Allocation.Links, l => Assert.Equal(1701, l.PortB));
    }

    [Fact]
    public void A_host_never_gets_two_tunnels_with_the_same_id_across_segments()
    {
        var hosts = Given.Hosts(3);
        var first = Given.Allocated(Given.Segment(Transport.L2tpv3Udp, 2), hosts);
        var second = Given.Allocated(Given.Segment(Transport.L2tpv3Ip, 3, "dmz") with
        {
            Bridge = "superbr1", Links = [Given.Link("h1", "h3"), Given.Link("h1", "h2")], Router = OtherRouter(),
        }, hosts, [first]);
        var h1Ids = first.Allocation.Links.Select(l => l.TunnelIdA).Concat(second.Allocation.Links.Select(l => l.TunnelIdA)).ToList();
        Assert.Equal(h1Ids.Count, h1Ids.Distinct().Count());
        Assert.DoesNotContain("sbl-lan-0", second.Allocation.Links.Select(l => l.DeviceA)); // device names unique per host too
        Assert.Equal("sbl-dmz-0", second.Allocation.Links[0].DeviceA);
    }

    [Fact]
    public void Several_gretap_segments_can_join_the_same_host_pair_with_different_keys()
    {
        var hosts = Given.Hosts(2);
        var first = Given.Allocated(Given.Segment(Transport.Gretap), hosts);
        var second = Given.Allocated(Given.Segment(Transport.Gretap, 2, "dmz") with { Bridge = "superbr1", Router = OtherRouter() }, hosts, [first]);
        Assert.NotEqual(first.Allocation.Links[0].GreKey, second.Allocation.Links[0].GreKey);
    }

    [Fact]
    public void A_pinned_gre_key_used_between_the_same_hosts_by_another_segment_is_a_conflict()
    {
        var hosts = Given.Hosts(2);
        var first = Given.Allocated(Given.Segment(Transport.Gretap), hosts);
        var spec = Given.Segment(Transport.Gretap, 2, "dmz") with
        {
            Bridge = "superbr1", Router = OtherRouter(), Links = [Given.Link("h2", "h1") with { GreKey = first.Allocation.Links[0].GreKey }],
        };
        var error = Assert.Single(SegmentAllocator.Allocate(spec, hosts, [first]).Errors);
        Assert.Equal(("links[0].greKey", ErrorCode.Conflict), (error.Path, error.Code));
    }

    [Fact]
    public void A_pinned_tunnel_id_in_use_on_the_host_is_a_conflict()
    {
        var hosts = Given.Hosts(2);
        var observed = Given.ObservedAll(2);
        observed["h2"] = observed["h2"] with { L2tpTunnels = [new ObservedL2tpTunnel(7, 8, "UDP", "2.2.2.2", "5.5.5.5", 1701, 1701)] };
        var spec = Given.Segment(Transport.L2tpv3Udp) with { Links = [Given.Link("h1", "h2") with { PeerTunnelId = 7 }] };
        var error = Assert.Single(SegmentAllocator.Allocate(spec, hosts, [], observed).Errors);
        Assert.Equal(("links[0].peerTunnelId", ErrorCode.Conflict), (error.Path, error.Code));
    }

    [Fact]
    public void Ids_ports_and_names_used_by_devices_we_did_not_create_are_avoided()
    {
        var hosts = Given.Hosts(2);
        var observed = Given.ObservedAll(2);
        observed["h1"] = observed["h1"] with
        {
            L2tpTunnels = [new ObservedL2tpTunnel(1, 9, "UDP", "1.1.1.1", "5.5.5.5", 1701, 1701)],
            L2tpSessions = [new ObservedL2tpSession(1, 9, 1, "sbl-lan-0")],
            Links = [new ObservedLink { Name = "sbl-lan-0", Kind = "l2tp" }],
        };
        var link = Given.Allocated(Given.Segment(Transport.L2tpv3Udp), hosts, observed: observed).Allocation.Links[0];
        Assert.Equal((2u, 2u, 1702, "sbl-lan-1"), (link.TunnelIdA!.Value, link.SessionIdA!.Value, link.PortA!.Value, link.DeviceA));
        Assert.Equal((1u, 1u, 1701, "sbl-lan-0"), (link.TunnelIdB!.Value, link.SessionIdB!.Value, link.PortB!.Value, link.DeviceB));
    }

    [Fact]
    public void Reallocating_keeps_every_value()
    {
        var hosts = Given.Hosts(4);
        var first = Given.Allocated(Star(Transport.L2tpv3Udp, 4), hosts);
        var again = Given.Allocated(first.Spec, hosts, [first]);
        Assert.Equal(Json(first.Allocation), Json(again.Allocation));
    }

    [Fact]
    public void Adding_a_host_allocates_only_what_is_new()
    {
        var hosts = Given.Hosts(4);
        var first = Given.Allocated(Given.Segment(Transport.L2tpv3Udp, 3), hosts);
        // The new link is listed first: kept values must still not move.
        var grown = first.Spec with { Members = [.. first.Spec.Members, "h4"], Links = [Given.Link("h2", "h4"), .. first.Spec.Links] };
        var second = Given.Allocated(grown, hosts, [first]);
        Assert.Equal(first.Allocation.Links.ToArray(), second.Allocation.Links.Skip(1).ToArray());
        var added = second.Allocation.Links[0];
        Assert.Equal(3u, added.TunnelIdA); // h2 already holds 1 and 2
        Assert.Equal("sbl-lan-2", added.DeviceA);
    }

    [Fact]
    public void A_link_listed_the_other_way_round_keeps_its_values()
    {
        var hosts = Given.Hosts(2);
        var first = Given.Allocated(Given.Segment(Transport.L2tpv3Udp), hosts);
        var flipped = Given.Allocated(first.Spec with { Links = [Given.Link("h2", "h1")] }, hosts, [first]);
        Assert.Equal(first.Allocation.Links[0], flipped.Allocation.Links[0].Reversed());
    }

    [Fact]
    public void Vxlan_gets_one_unique_vni_per_segment_and_one_device_per_host()
    {
        var hosts = Given.Hosts(3);
        var first = Given.Allocated(Given.Segment(Transport.Vxlan, 3), hosts);
        var second = Given.Allocated(Given.Segment(Transport.Vxlan, 2, "dmz") with { Bridge = "superbr1", Router = OtherRouter() }, hosts, [first]);
        Assert.Equal(1u, first.Allocation.Vni);
        Assert.Equal(2u, second.Allocation.Vni);
        Assert.Equal(["h1", "h2", "h3"], first.Allocation.VxlanDevices.Select(d => d.Host.Value));
        Assert.Equal(["sbx-dmz-0", "sbx-dmz-0"], second.Allocation.VxlanDevices.Select(d => d.Device));
        Assert.Equal(2u, Given.Allocated(second.Spec, hosts, [first, second]).Allocation.Vni);
    }

    [Fact]
    public void A_vni_seen_on_a_host_but_not_ours_is_avoided()
    {
        var hosts = Given.Hosts(2);
        var observed = Given.ObservedAll(2);
        observed["h2"] = observed["h2"] with { Links = [new ObservedLink { Name = "vx-other", Kind = "vxlan", Vxlan = new VxlanInfo(1, null, 4789, null) }] };
        Assert.Equal(2u, Given.Allocated(Given.Segment(Transport.Vxlan), hosts, observed: observed).Allocation.Vni);
    }

    [Theory]
    [InlineData("lan", 0, "sbg-lan-0")]
    [InlineData("a-very-long-segment-name", 0, "sbg-a-very-0")]
    [InlineData("office", 9999, "sbg-office-9999")]
    [InlineData("office", 10000, "sbg-offic-10000")]
    [InlineData("abcde-x", 3, "sbg-abcde-3")]
    public void Device_names_are_readable_and_fit_ifnamsiz(string segment, int n, string expected)
    {
        var name = DeviceNamer.Name(Transport.Gretap, segment, n);
        Assert.Equal(expected, name);
        Assert.InRange(name.Length, 1, 15);
        Assert.Null(NameRules.InterfaceProblem(name));
    }

    [Fact]
    public void Device_names_stay_unique_when_segment_names_share_a_prefix()
    {
        var hosts = Given.Hosts(2);
        var first = Given.Allocated(Given.Segment(Transport.Gretap, 2, "office-a"), hosts);
        var second = Given.Allocated(Given.Segment(Transport.Gretap, 2, "office-b") with { Bridge = "superbr1", Router = OtherRouter() }, hosts, [first]);
        Assert.Equal("sbg-office-0", first.Allocation.Links[0].DeviceA);
        Assert.Equal("sbg-office-1", second.Allocation.Links[0].DeviceA);
    }

    [Fact]
    public void Pinned_values_are_used_as_given()
    {
        var hosts = Given.Hosts(2);
        var spec = Given.Segment(Transport.L2tpv3Udp) with
        {
            Links = [Given.Link("h1", "h2") with { TunnelId = 4294967295, PeerTunnelId = 1, SessionId = 10, PeerSessionId = 20, SourcePort = 65535, DestinationPort = 1 }],
        };
        var link = Given.Allocated(spec, hosts).Allocation.Links[0];
        Assert.Equal((4294967295u, 1u, 10u, 20u, 65535, 1), (link.TunnelIdA!.Value, link.TunnelIdB!.Value, link.SessionIdA!.Value, link.SessionIdB!.Value, link.PortA!.Value, link.PortB!.Value));
    }

    [Fact]
    public void Allocation_is_deterministic()
    {
        var hosts = Given.Hosts(6);
        Assert.Equal(Json(Given.Allocated(Star(Transport.L2tpv3Udp, 6), hosts).Allocation), Json(Given.Allocated(Star(Transport.L2tpv3Udp, 6), hosts).Allocation));
    }

    private static string Json(object value) => System.Text.Json.JsonSerializer.Serialize(value);
}
