using Superbridge.Core.Model;
using Superbridge.Core.Planning;
using Superbridge.Core.Tests.Support;

namespace Superbridge.Core.Tests.Planning;

/// <summary>Both ends of each transport, command by command, against the exact argv current iproute2 expects.</summary>
public class TransportCommandTests
{
    private static readonly Dictionary<HostId, HostInfo> Hosts = Given.Hosts(3);

    /// <summary>The guide's L2TP values, pinned, so mirroring is visible.</summary>
    private static SegmentSpec GuideL2tp(Transport transport) => Given.Segment(transport, 2) with
    {
        Links = [Given.Link("h1", "h2") with
        {
            TunnelId = 1000, PeerTunnelId = 2000, SessionId = 3000, PeerSessionId = 4000,
            SourcePort = transport == Transport.L2tpv3Udp ? 6000 : null,
            DestinationPort = transport == Transport.L2tpv3Udp ? 5000 : null,
        }],
    };

    private static SegmentPlan PlanFor(SegmentSpec spec) => SegmentPlanner.Plan(Given.Allocated(spec, Hosts), Hosts).Value;

    private static PlanStep Step(SegmentPlan plan, string host, string id) =>
        Assert.Single(plan.Hosts.Single(h => h.Host == host).Steps, s => s.Id == id);

    public static TheoryData<string, string, string, string[]?, string[]?> Gretap => new()
    {
        { "h1", "modprobe:ip_gre", "modprobe ip_gre", null, ["test", "-d", "/sys/module/ip_gre"] },
        { "h1", "bridge:superbr0", "ip link add superbr0 type bridge", ["ip", "link", "del", "dev", "superbr0"], ["test", "-e", "/sys/class/net/superbr0"] },
        { "h1", "mtu:superbr0", "ip link set dev superbr0 mtu 1458", null, ["grep", "-qx", "1458", "/sys/class/net/superbr0/mtu"] },
        { "h1", "up:superbr0", "ip link set dev superbr0 up", ["ip", "link", "set", "dev", "superbr0", "down"], null },
        { "h1", "link:sbg-lan-0", "ip link add sbg-lan-0 type gretap local 1.1.1.1 remote 2.2.2.2 ttl 255 key 1", ["ip", "link", "del", "dev", "sbg-lan-0"], ["test", "-e", "/sys/class/net/sbg-lan-0"] },
        { "h1", "mtu:sbg-lan-0", "ip link set dev sbg-lan-0 mtu 1458", null, null },
        { "h1", "master:sbg-lan-0", "ip link set dev sbg-lan-0 master superbr0", ["ip", "link", "set", "dev", "sbg-lan-0", "nomaster"], ["test", "-e", "/sys/class/net/superbr0/brif/sbg-lan-0"] },
        { "h1", "up:sbg-lan-0", "ip link set dev sbg-lan-0 up", ["ip", "link", "set", "dev", "sbg-lan-0", "down"], null },
        { "h2", "modprobe:ip_gre", "modprobe ip_gre", null, null },
        { "h2", "bridge:superbr0", "ip link add superbr0 type bridge", null, null },
        { "h2", "link:sbg-lan-0", "ip link add sbg-lan-0 type gretap local 2.2.2.2 remote 1.1.1.1 ttl 255 key 1", ["ip", "link", "del", "dev", "sbg-lan-0"], null },
        { "h2", "master:sbg-lan-0", "ip link set dev sbg-lan-0 master superbr0", null, null },
    };

    [Theory]
    [MemberData(nameof(Gretap))]
    public void Gretap_steps(string host, string id, string doLine, string[]? undo, string[]? check) =>
        AssertStep(PlanFor(Given.Segment(Transport.Gretap)), host, id, doLine, undo, check);

    public static TheoryData<string, string, string, string[]?, string[]?> L2tpUdp => new()
    {
        { "h1", "modprobe:l2tp_eth", "modprobe l2tp_eth", null, ["test", "-d", "/sys/module/l2tp_eth"] },
        { "h1", "l2tp-tunnel:1000", "ip l2tp add tunnel tunnel_id 1000 peer_tunnel_id 2000 encap udp local 1.1.1.1 remote 2.2.2.2 udp_sport 6000 udp_dport 5000",
            ["ip", "l2tp", "del", "tunnel", "tunnel_id", "1000"], ["sh", "-c", "ip l2tp show tunnel tunnel_id \"$1\" | grep -q .", "sh", "1000"] },
        { "h1", "l2tp-session:sbl-lan-0", "ip l2tp add session name sbl-lan-0 tunnel_id 1000 session_id 3000 peer_session_id 4000",
            ["ip", "l2tp", "del", "session", "tunnel_id", "1000", "session_id", "3000"], ["test", "-e", "/sys/class/net/sbl-lan-0"] },
        { "h1", "mtu:sbl-lan-0", "ip link set dev sbl-lan-0 mtu 1446", null, null },
        { "h1", "mtu:superbr0", "ip link set dev superbr0 mtu 1446", null, null },
        { "h1", "master:sbl-lan-0", "ip link set dev sbl-lan-0 master superbr0", null, null },
        { "h2", "modprobe:l2tp_eth", "modprobe l2tp_eth", null, null },
        { "h2", "l2tp-tunnel:2000", "ip l2tp add tunnel tunnel_id 2000 peer_tunnel_id 1000 encap udp local 2.2.2.2 remote 1.1.1.1 udp_sport 5000 udp_dport 6000",
            ["ip", "l2tp", "del", "tunnel", "tunnel_id", "2000"], null },
        { "h2", "l2tp-session:sbl-lan-0", "ip l2tp add session name sbl-lan-0 tunnel_id 2000 session_id 4000 peer_session_id 3000",
            ["ip", "l2tp", "del", "session", "tunnel_id", "2000", "session_id", "4000"], null },
        { "h2", "master:sbl-lan-0", "ip link set dev sbl-lan-0 master superbr0", null, null },
    };

    [Theory]
    [MemberData(nameof(L2tpUdp))]
    public void L2tp_udp_steps(string host, string id, string doLine, string[]? undo, string[]? check) =>
        AssertStep(PlanFor(GuideL2tp(Transport.L2tpv3Udp)), host, id, doLine, undo, check);

    public static TheoryData<string, string, string, string[]?, string[]?> L2tpIp => new()
    {
        { "h1", "modprobe:l2tp_eth", "modprobe l2tp_eth", null, null },
        { "h1", "modprobe:l2tp_ip", "modprobe l2tp_ip", null, ["test", "-d", "/sys/module/l2tp_ip"] },
        { "h1", "l2tp-tunnel:1000", "ip l2tp add tunnel tunnel_id 1000 peer_tunnel_id 2000 encap ip local 1.1.1.1 remote 2.2.2.2", null, null },
        { "h1", "l2tp-session:sbl-lan-0", "ip l2tp add session name sbl-lan-0 tunnel_id 1000 session_id 3000 peer_session_id 4000", null, null },
        { "h1", "mtu:sbl-lan-0", "ip link set dev sbl-lan-0 mtu 1458", null, null },
        { "h2", "modprobe:l2tp_ip", "modprobe l2tp_ip", null, null },
        { "h2", "l2tp-tunnel:2000", "ip l2tp add tunnel tunnel_id 2000 peer_tunnel_id 1000 encap ip local 2.2.2.2 remote 1.1.1.1", null, null },
        { "h2", "l2tp-session:sbl-lan-0", "ip l2tp add session name sbl-lan-0 tunnel_id 2000 session_id 4000 peer_session_id 3000", null, null },
    };

    [Theory]
    [MemberData(nameof(L2tpIp))]
    public void L2tp_ip_steps(string host, string id, string doLine, string[]? undo, string[]? check) =>
        AssertStep(PlanFor(GuideL2tp(Transport.L2tpv3Ip)), host, id, doLine, undo, check);

    public static TheoryData<string, string, string, string[]?, string[]?> Vxlan => new()
    {
        { "h1", "modprobe:vxlan", "modprobe vxlan", null, null },
        { "h1", "link:sbx-lan-0", "ip link add sbx-lan-0 type vxlan id 1 local 1.1.1.1 dstport 4789", ["ip", "link", "del", "dev", "sbx-lan-0"], ["test", "-e", "/sys/class/net/sbx-lan-0"] },
        { "h1", "mtu:sbx-lan-0", "ip link set dev sbx-lan-0 mtu 1450", null, null },
        { "h2", "link:sbx-lan-0", "ip link add sbx-lan-0 type vxlan id 1 local 2.2.2.2 dstport 4789", null, null },
        { "h3", "link:sbx-lan-0", "ip link add sbx-lan-0 type vxlan id 1 local 3.3.3.3 dstport 4789", null, null },
    };

    [Theory]
    [MemberData(nameof(Vxlan))]
    public void Vxlan_steps(string host, string id, string doLine, string[]? undo, string[]? check) =>
        AssertStep(PlanFor(Given.Segment(Transport.Vxlan, 3)), host, id, doLine, undo, check);

    [Fact]
    public void Vxlan_floods_all_peers_of_a_host_in_one_step_that_writes_only_the_missing_entries()
    {
        var step = Step(PlanFor(Given.Segment(Transport.Vxlan, 3)), "h1", "fdb:sbx-lan-0");
        const string head = "d=$1; shift; have=$(bridge fdb show dev \"$d\") || exit; for p; do case \"$have\" in *\"00:00:00:00:00:00 dst $p \"*)";
        Assert.Equal(["sh", "-c", head + " ;; *) echo \"fdb append 00:00:00:00:00:00 dev $d dst $p\";; esac; done | bridge -batch -", "sh", "sbx-lan-0", "2.2.2.2", "3.3.3.3"],
            step.Do.Words());
        Assert.Equal(["sh", "-c", head + " echo \"fdb del 00:00:00:00:00:00 dev $d dst $p\";; esac; done | bridge -batch -", "sh", "sbx-lan-0", "2.2.2.2", "3.3.3.3"],
            step.Undo!.Words());
        Assert.Equal(["sh", "-c", head + " ;; *) exit 1;; esac; done", "sh", "sbx-lan-0", "2.2.2.2", "3.3.3.3"], step.Check!.Words());
    }

    [Fact]
    public void A_single_peer_keeps_its_own_flood_command()
    {
        var step = Step(PlanFor(Given.Segment(Transport.Vxlan, 2)), "h1", "fdb:sbx-lan-0:2.2.2.2");
        Assert.Equal("bridge fdb append 00:00:00:00:00:00 dev sbx-lan-0 dst 2.2.2.2".Split(' '), step.Do.Words());
        Assert.Equal("bridge fdb del 00:00:00:00:00:00 dev sbx-lan-0 dst 2.2.2.2".Split(' '), step.Undo!.Words());
        Assert.Equal(["sh", "-c", "bridge fdb show dev \"$1\" | grep -qF \"00:00:00:00:00:00 dst $2 \"", "sh", "sbx-lan-0", "2.2.2.2"], step.Check!.Words());
    }

    private static void AssertStep(SegmentPlan plan, string host, string id, string doLine, string[]? undo, string[]? check)
    {
        var step = Step(plan, host, id);
        Assert.Equal(doLine.Split(' '), step.Do.Words());
        if (undo is not null) Assert.Equal(undo, step.Undo!.Words());
        if (check is not null) Assert.Equal(check, step.Check!.Words());
    }

    [Theory]
    [InlineData(Transport.Gretap, new[] { "modprobe:ip_gre", "bridge:superbr0", "mtu:superbr0", "up:superbr0", "link:sbg-lan-0", "mtu:sbg-lan-0", "master:sbg-lan-0", "up:sbg-lan-0" })]
    [InlineData(Transport.L2tpv3Udp, new[] { "modprobe:l2tp_eth", "bridge:superbr0", "mtu:superbr0", "up:superbr0", "l2tp-tunnel:2000", "l2tp-session:sbl-lan-0", "mtu:sbl-lan-0", "master:sbl-lan-0", "up:sbl-lan-0" })]
    [InlineData(Transport.L2tpv3Ip, new[] { "modprobe:l2tp_eth", "modprobe:l2tp_ip", "bridge:superbr0", "mtu:superbr0", "up:superbr0", "l2tp-tunnel:2000", "l2tp-session:sbl-lan-0", "mtu:sbl-lan-0", "master:sbl-lan-0", "up:sbl-lan-0" })]
    public void Steps_on_the_member_without_the_router_come_in_dependency_order(Transport transport, string[] ids)
    {
        var spec = transport == Transport.Gretap ? Given.Segment(transport) : GuideL2tp(transport);
        var plan = PlanFor(spec);
        Assert.Equal(ids, plan.Hosts.Single(h => h.Host == "h2").Steps.Select(s => s.Id));
    }

    [Fact]
    public void Vxlan_binds_to_the_underlay_device_when_known()
    {
        var hosts = Given.Hosts(Given.Host(1) with { UnderlayDevice = "eth0" }, Given.Host(2));
        var plan = SegmentPlanner.Plan(Given.Allocated(Given.Segment(Transport.Vxlan), hosts), hosts).Value;
        Assert.Equal("ip link add sbx-lan-0 type vxlan id 1 local 1.1.1.1 dstport 4789 dev eth0".Split(' '), Step(plan, "h1", "link:sbx-lan-0").Do.Words());
        Assert.Equal("ip link add sbx-lan-0 type vxlan id 1 local 2.2.2.2 dstport 4789".Split(' '), Step(plan, "h2", "link:sbx-lan-0").Do.Words());
    }

    [Fact]
    public void L2tp_cookies_are_written_and_mirrored()
    {
        var spec = GuideL2tp(Transport.L2tpv3Udp) with { Links = [GuideL2tp(Transport.L2tpv3Udp).Links[0] with { Cookie = "0011AABB", PeerCookie = "ccddeeff" }] };
        var plan = PlanFor(spec);
        Assert.Equal("ip l2tp add session name sbl-lan-0 tunnel_id 1000 session_id 3000 peer_session_id 4000 cookie 0011aabb peer_cookie ccddeeff".Split(' '),
            Step(plan, "h1", "l2tp-session:sbl-lan-0").Do.Words());
        Assert.Equal("ip l2tp add session name sbl-lan-0 tunnel_id 2000 session_id 4000 peer_session_id 3000 cookie ccddeeff peer_cookie 0011aabb".Split(' '),
            Step(plan, "h2", "l2tp-session:sbl-lan-0").Do.Words());
        Assert.Equal(1446 - 4, plan.Mtu); // a 4-byte cookie costs 4 bytes
    }

    [Fact]
    public void Ipv6_underlays_use_ip6gretap_and_lose_20_more_bytes()
    {
        var hosts = Given.Hosts(Given.Host(1, "2001:db8::1"), Given.Host(2, "2001:db8::2"));
        var plan = SegmentPlanner.Plan(Given.Allocated(Given.Segment(Transport.Gretap), hosts), hosts).Value;
        Assert.Equal("ip link add sbg-lan-0 type ip6gretap local 2001:db8::1 remote 2001:db8::2 ttl 255 key 1".Split(' '), Step(plan, "h1", "link:sbg-lan-0").Do.Words());
        Assert.Equal("modprobe ip6_gre".Split(' '), Step(plan, "h1", "modprobe:ip6_gre").Do.Words());
        Assert.Equal(1438, plan.Mtu);
    }
}

public class VxlanScalingTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(12)]
    public void Vxlan_across_n_hosts_uses_n_devices_with_head_end_replication_to_every_peer(int n)
    {
        var hosts = Given.Hosts(n);
        var plan = SegmentPlanner.Plan(Given.Allocated(Given.Segment(Transport.Vxlan, n), hosts), hosts).Value;
        var all = plan.Hosts.SelectMany(h => h.Steps).ToList();
        Assert.Equal(n, all.Count(s => s.Id.StartsWith("link:")));           // N devices, not N(N-1)/2 tunnels
        foreach (var host in plan.Hosts)
        {
            var flood = Assert.Single(host.Steps, s => s.Id.StartsWith("fdb:")); // one process for all of a host's peers
            var peers = (n == 2 ? [flood.Do.Argv[^1]] : flood.Do.Argv[5..]).Order().ToList();
            Assert.Equal(hosts.Values.Where(h => h.Id != host.Host).Select(h => h.Address).Order().ToList(), peers);
        }
    }

    [Fact]
    public void Teardown_deletes_a_hosts_flood_entries_in_one_step()
    {
        var hosts = Given.Hosts(4);
        var plan = SegmentPlanner.PlanTeardown(Given.Allocated(Given.Segment(Transport.Vxlan, 4), hosts), hosts).Value;
        var flood = Assert.Single(plan.Hosts[0].Steps, s => s.Id.StartsWith("fdb:"));
        Assert.Equal("fdb:sbx-lan-0", flood.Id);
        Assert.Contains("echo \"fdb del ", flood.Do.Argv[2]);
        Assert.Contains("|| exit 0;", flood.Check!.Argv[2]); // a device already gone has no entries left
        Assert.Equal(["2.2.2.2", "3.3.3.3", "4.4.4.4"], flood.Do.Argv[5..].Order());
    }
}
