using System.Collections.Immutable;
using Superbridge.Core.Model;
using Superbridge.Core.Observed;

namespace Superbridge.Core.Tests.Observed;

public class BridgePortClassifierTests
{
    private static readonly Dictionary<string, HostId> Hosts = new()
    {
        ["198.51.100.78"] = "host-b",
        ["198.51.100.79"] = "host-c",
    };

    /// <summary>Host A of the capture, assembled from the real outputs the inventory would collect.</summary>
    private static ObservedHost CapturedHostA()
    {
        var infos = new[] { "lxc-info/running-two-ipv4.txt", "lxc-info/stopped.txt", "lxc-info/running-ipv6.txt" }
            .Select(f => LxcInfoParser.Parse(FixtureFiles.Read(f)))
            .ToDictionary(i => i.Name);
        var containers = LxcLsParser.Parse(FixtureFiles.Read("lxc-ls/fancy-selected-columns.txt"))
            .Select(c => infos[c.Name].ApplyTo(c))
            .ToImmutableArray();
        return ObservedHost.Empty("host-a") with
        {
            Links = IpLinkParser.Parse(FixtureFiles.Read("ip-link/netns-bridge-veth-vxlan-container.json")),
            Fdb = BridgeFdbParser.Parse(FixtureFiles.Read("bridge-fdb/vxlan-head-end-replication.json")),
            Containers = containers,
        };
    }

    private static Dictionary<string, BridgeMember> Members(ImmutableArray<BridgeView> views, string bridge) =>
        views.Single(v => v.Name == bridge).Members.ToDictionary(m => m.Device);

    [Fact]
    public void Every_bridge_gets_a_view_with_its_ports_in_link_order()
    {
        var views = BridgePortClassifier.Classify(CapturedHostA(), Hosts);

        Assert.Equal(["sbcap-br0", "sbcap-br1"], views.Select(v => v.Name).ToArray());
        Assert.Equal(["sbcap-v0", "sbcap-vx", "sbcap-c1v"], views[0].Members.Select(m => m.Device).ToArray());
        Assert.Equal(["sbcap-v1", "vethh0GgKy"], views[1].Members.Select(m => m.Device).ToArray());
        Assert.True(views[0].StpEnabled);
        Assert.Equal(1450, views[0].Mtu);
    }

    [Fact]
    public void Container_veth_is_classified_as_that_container()
    {
        var views = BridgePortClassifier.Classify(CapturedHostA(), Hosts);

        var c1 = Members(views, "sbcap-br0")["sbcap-c1v"];
        var c3 = Members(views, "sbcap-br1")["vethh0GgKy"];
        Assert.Equal((BridgeMemberKind.Container, "sbcap-c1"), (c1.Kind, c1.Container));
        Assert.Equal((BridgeMemberKind.Container, "sbcap-c3"), (c3.Kind, c3.Container));
        Assert.Equal("forwarding", c1.PortState);
    }

    [Fact]
    public void Vxlan_port_is_a_tunnel_to_every_head_end_replication_peer()
    {
        var vx = Members(BridgePortClassifier.Classify(CapturedHostA(), Hosts), "sbcap-br0")["sbcap-vx"];

        Assert.Equal(BridgeMemberKind.Tunnel, vx.Kind);
        Assert.Equal(["198.51.100.78", "198.51.100.79"], vx.PeerAddresses.ToArray());
        Assert.Equal([new HostId("host-b"), new HostId("host-c")], vx.PeerHosts.ToArray());
        Assert.Equal("198.51.100.78", vx.PeerAddress);
    }

    [Fact]
    public void Veth_without_a_container_is_other()
    {
        var members = Members(BridgePortClassifier.Classify(CapturedHostA(), Hosts), "sbcap-br0");

        Assert.Equal(BridgeMemberKind.Other, members["sbcap-v0"].Kind);
        Assert.Null(members["sbcap-v0"].Container);
        Assert.Empty(members["sbcap-v0"].PeerAddresses);
    }

    [Fact]
    public void Without_lxc_info_a_container_veth_is_only_other()
    {
        var host = CapturedHostA() with { Containers = LxcLsParser.Parse(FixtureFiles.Read("lxc-ls/fancy-selected-columns.txt")) };

        var c1 = Members(BridgePortClassifier.Classify(host, Hosts), "sbcap-br0")["sbcap-c1v"];

        Assert.Equal(BridgeMemberKind.Other, c1.Kind);
    }

    [Fact]
    public void Gretap_port_is_a_tunnel_to_its_remote()
    {
        var host = ObservedHost.Empty("host-a") with { Links = IpLinkParser.Parse(FixtureFiles.Read("ip-link/vm-gretap-l2tp.json")) };

        var gt = Members(BridgePortClassifier.Classify(host, Hosts), "sbcap-br0")["sbcap-gt0"];

        Assert.Equal(BridgeMemberKind.Tunnel, gt.Kind);
        Assert.Equal("gretap", gt.LinkKind);
        Assert.Equal(["198.51.100.78"], gt.PeerAddresses.ToArray());
        Assert.Equal([new HostId("host-b")], gt.PeerHosts.ToArray());
    }

    [Fact]
    public void A_real_l2tp_session_device_without_info_kind_is_a_tunnel_not_a_nic()
    {
        var host = ObservedHost.Empty("host-a") with
        {
            Links = IpLinkParser.Parse(FixtureFiles.Read("ip-link/vm-gretap-l2tp.json")),
            L2tpTunnels = L2tpParser.ParseTunnels(FixtureFiles.Read("ip-l2tp/vm-tunnels.txt")),
            L2tpSessions = L2tpParser.ParseSessions(FixtureFiles.Read("ip-l2tp/vm-sessions.txt")),
        };

        var members = Members(BridgePortClassifier.Classify(host, Hosts), "sbcap-br0");
        var marked = L2tpSessionDevices.MarkKinds(host.Links, host.L2tpSessions);

        Assert.Equal("", host.Links.Single(l => l.Name == "sbcap-l2t1").Kind);
        Assert.Equal(BridgeMemberKind.Tunnel, members["sbcap-l2t1"].Kind);
        Assert.Equal(["198.51.100.79"], members["sbcap-l2t1"].PeerAddresses.ToArray());
        Assert.Equal("l2tp", marked.Single(l => l.Name == "sbcap-l2t1").Kind);
        Assert.Equal("", marked.Single(l => l.Name == "lo").Kind);
    }

    [Fact]
    public void L2tp_port_is_a_tunnel_to_the_remote_of_its_session_tunnel()
    {
        var host = ObservedHost.Empty("host-a") with
        {
            Links =
            [
                new ObservedLink { Name = "sbcap-br0", Kind = "bridge", IsUp = true },
                new ObservedLink { Name = "sbcap-l2t1", Kind = "l2tp", Master = "sbcap-br0", IsUp = true },
                new ObservedLink { Name = "sbcap-l2t9", Kind = "l2tp", Master = "sbcap-br0" },
            ],
            L2tpTunnels = L2tpParser.ParseTunnels(FixtureFiles.Read("ip-l2tp/vm-tunnels.txt")),
            L2tpSessions = L2tpParser.ParseSessions(FixtureFiles.Read("ip-l2tp/vm-sessions.txt")),
        };

        var members = Members(BridgePortClassifier.Classify(host, Hosts), "sbcap-br0");

        Assert.Equal(BridgeMemberKind.Tunnel, members["sbcap-l2t1"].Kind);
        Assert.Equal(["198.51.100.79"], members["sbcap-l2t1"].PeerAddresses.ToArray());
        Assert.Equal([new HostId("host-c")], members["sbcap-l2t1"].PeerHosts.ToArray());
        Assert.Equal(BridgeMemberKind.Tunnel, members["sbcap-l2t9"].Kind);
        Assert.Empty(members["sbcap-l2t9"].PeerAddresses);
        Assert.Null(members["sbcap-l2t9"].PeerAddress);
    }

    [Fact]
    public void Nic_without_link_kind_is_physical_and_unknown_peers_have_no_host()
    {
        var host = ObservedHost.Empty("host-a") with
        {
            Links =
            [
                new ObservedLink { Name = "br-lan", Kind = "bridge" },
                new ObservedLink { Name = "eth1", Kind = "", Master = "br-lan" },
                new ObservedLink { Name = "vx7", Kind = "vxlan", Master = "br-lan", Vxlan = new VxlanInfo(7, null, 4789, null) { Remote = "203.0.113.9" } },
                new ObservedLink { Name = "vx8", Kind = "vxlan", Master = "br-lan", Vxlan = new VxlanInfo(8, null, 4789, null) { Remote = "239.1.1.1" } },
                new ObservedLink { Name = "dummy0", Kind = "dummy", Master = "br-lan" },
            ],
        };

        var members = Members(BridgePortClassifier.Classify(host, Hosts), "br-lan");

        Assert.Equal(BridgeMemberKind.Physical, members["eth1"].Kind);
        Assert.Equal(["203.0.113.9"], members["vx7"].PeerAddresses.ToArray());
        Assert.Empty(members["vx7"].PeerHosts);
        Assert.Empty(members["vx8"].PeerAddresses);
        Assert.Equal(BridgeMemberKind.Other, members["dummy0"].Kind);
    }
}
