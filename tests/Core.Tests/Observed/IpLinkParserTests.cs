using Superbridge.Core.Observed;

namespace Superbridge.Core.Tests.Observed;

public class IpLinkParserTests
{
    private static readonly IReadOnlyDictionary<string, ObservedLink> Scene =
        IpLinkParser.Parse(FixtureFiles.Read("ip-link/netns-bridge-veth-vxlan-container.json")).ToDictionary(l => l.Name);

    [Fact]
    public void Lists_every_link_of_the_namespace_in_output_order()
    {
        var links = IpLinkParser.Parse(FixtureFiles.Read("ip-link/netns-bridge-veth-vxlan-container.json"));

        Assert.Equal(
            ["lo", "sbcap-br0", "sbcap-br1", "sbcap-v0p", "sbcap-v0", "sbcap-v1p", "sbcap-v1", "sbcap-u0", "sbcap-vx",
             "sbcap-c1v", "vethh0GgKy", "sbcap-dn1", "sbcap-dn0", "sbcap-vx2"],
            links.Select(l => l.Name));
    }

    [Fact]
    public void Vxlan_device_reports_vni_local_dstport_and_dev()
    {
        var vx = Scene["sbcap-vx"];

        Assert.Equal("vxlan", vx.Kind);
        Assert.Equal(new VxlanInfo(42, "198.51.100.77", 4789, "sbcap-u0"), vx.Vxlan);
        Assert.Null(vx.Vxlan!.Remote);
        Assert.Equal("sbcap-br0", vx.Master);
        Assert.Equal(1450, vx.Mtu);
    }

    [Fact]
    public void Vxlan_device_with_unicast_remote_reports_it()
    {
        var vx2 = Scene["sbcap-vx2"];

        Assert.Equal(4242u, vx2.Vxlan!.Vni);
        Assert.Equal(8472, vx2.Vxlan.DstPort);
        Assert.Equal("198.51.100.79", vx2.Vxlan.Remote);
        Assert.Null(vx2.Master);
        Assert.False(vx2.IsUp);
    }

    [Fact]
    public void Bridge_reports_whether_stp_is_on()
    {
        Assert.Equal("bridge", Scene["sbcap-br0"].Kind);
        Assert.True(Scene["sbcap-br0"].StpEnabled);
        Assert.False(Scene["sbcap-br1"].StpEnabled);
        Assert.Null(Scene["sbcap-v0"].StpEnabled);
    }

    [Fact]
    public void Enslaved_veth_reports_master_and_port_state()
    {
        var v0 = Scene["sbcap-v0"];

        Assert.Equal("veth", v0.Kind);
        Assert.Equal("sbcap-br0", v0.Master);
        Assert.Equal("forwarding", v0.PortState);
        Assert.Equal("disabled", Scene["sbcap-v1"].PortState);
        Assert.Null(Scene["sbcap-v0p"].PortState);
    }

    [Fact]
    public void Down_devices_are_not_up_and_carry_their_operstate()
    {
        Assert.False(Scene["sbcap-dn0"].IsUp);
        Assert.Equal("DOWN", Scene["sbcap-dn0"].OperState);
        Assert.True(Scene["sbcap-v1"].IsUp);
        Assert.Equal("LOWERLAYERDOWN", Scene["sbcap-v1"].OperState);
        Assert.Equal("UNKNOWN", Scene["sbcap-vx"].OperState);
    }

    [Fact]
    public void Loopback_has_no_kind_and_keeps_index_mtu_and_mac()
    {
        var lo = Scene["lo"];

        Assert.Equal("", lo.Kind);
        Assert.Equal(1, lo.Index);
        Assert.Equal(65536, lo.Mtu);
        Assert.Equal("00:00:00:00:00:00", lo.MacAddress);
    }

    [Fact]
    public void Container_host_veth_is_a_bridge_port_like_any_veth()
    {
        Assert.Equal("sbcap-br0", Scene["sbcap-c1v"].Master);
        Assert.Equal("sbcap-br1", Scene["vethh0GgKy"].Master);
        Assert.Equal("veth", Scene["vethh0GgKy"].Kind);
    }

    [Fact]
    public void Without_details_flag_links_have_no_kind_but_keep_master()
    {
        var links = IpLinkParser.Parse(FixtureFiles.Read("ip-link/netns-without-details.json")).ToDictionary(l => l.Name);

        Assert.All(links.Values, l => Assert.Equal("", l.Kind));
        Assert.Equal("sbcap-br0", links["sbcap-vx"].Master);
        Assert.Null(links["sbcap-vx"].Vxlan);
    }

    [Fact]
    public void Peer_namespace_sees_its_own_vxlan_towards_host_a()
    {
        var links = IpLinkParser.Parse(FixtureFiles.Read("ip-link/peer-netns-vxlan.json")).ToDictionary(l => l.Name);

        Assert.Equal(new VxlanInfo(42, "198.51.100.78", 4789, "sbcap-u0p"), links["sbcap-vx"].Vxlan);
    }

    [Fact]
    public void Gretap_reports_endpoints_dotted_keys_as_numbers_and_ttl()
    {
        var links = IpLinkParser.Parse(FixtureFiles.Read("ip-link/vm-gretap-l2tp.json")).ToDictionary(l => l.Name);

        Assert.Equal("gretap", links["sbcap-gt0"].Kind);
        Assert.Equal(new GretapInfo("198.51.100.77", "198.51.100.78", 7, 7, 0), links["sbcap-gt0"].Gretap);
        Assert.Equal("sbcap-br0", links["sbcap-gt0"].Master);
        Assert.Equal("forwarding", links["sbcap-gt0"].PortState);
    }

    [Fact]
    public void Gretap_any_endpoint_and_missing_keys_read_as_null()
    {
        var links = IpLinkParser.Parse(FixtureFiles.Read("ip-link/vm-gretap-l2tp.json")).ToDictionary(l => l.Name);

        Assert.Equal(new GretapInfo(null, "198.51.100.79", null, null, 64), links["sbcap-gt1"].Gretap);
        Assert.Null(links["sbcap-gt1"].Master);
    }

    [Theory]
    [InlineData("\"0.0.0.7\"", 7u)]
    [InlineData("\"0.1.0.0\"", 65536u)]
    [InlineData("\"255.255.255.255\"", uint.MaxValue)]
    [InlineData("7", 7u)]
    [InlineData("\"42\"", 42u)]
    public void Gre_keys_read_as_dotted_quads_or_integers(string json, uint expected)
    {
        var output = """[{"ifindex":9,"ifname":"gt","linkinfo":{"info_kind":"gretap","info_data":{"remote":"192.0.2.2","local":"192.0.2.1","ttl":0,"ikey":KEY,"okey":KEY}}}]""".Replace("KEY", json);

        var gretap = IpLinkParser.Parse(output).Single().Gretap!;

        Assert.Equal(expected, gretap.IKey);
        Assert.Equal(expected, gretap.OKey);
    }

    [Fact]
    public void Gre_key_that_is_neither_number_nor_dotted_quad_is_rejected_naming_the_device()
    {
        var output = """[{"ifindex":9,"ifname":"gt","linkinfo":{"info_kind":"gretap","info_data":{"ikey":"seven"}}}]""";

        var error = Assert.Throws<ObservedParseException>(() => IpLinkParser.Parse(output));

        Assert.Contains("IpLinkParser", error.Message);
        Assert.Contains("(gt)", error.Message);
        Assert.Contains("\"seven\"", error.Message);
    }

    [Fact]
    public void Vxlan_without_vni_is_rejected_naming_the_device()
    {
        var error = Assert.Throws<ObservedParseException>(() =>
            IpLinkParser.Parse("""[{"ifindex":3,"ifname":"vx9","linkinfo":{"info_kind":"vxlan","info_data":{"port":4789}}}]"""));

        Assert.Equal("IpLinkParser: cannot read `ip -j -d link show` output: entry 0 (vx9): vxlan info_data has no numeric \"id\" (VNI)", error.Message);
    }

    [Fact]
    public void Entry_without_ifname_is_rejected_with_its_position()
    {
        var error = Assert.Throws<ObservedParseException>(() => IpLinkParser.Parse("""[{"ifindex":1,"ifname":"lo"},{"ifindex":2}]"""));

        Assert.Contains("entry 1 has no string \"ifname\"", error.Message);
    }

    [Fact]
    public void Ip_addr_with_details_gives_the_same_links_as_ip_link_captured_just_before_it()
    {
        // Lab host h1 with a bridge, a VXLAN port and a container's host veth: `ip -j -d link show`, then `ip -j -d addr show`.
        var fromLink = IpLinkParser.Parse(FixtureFiles.Read("ip-link/lab-h1-bridge-vxlan-container.json"));
        var fromAddr = IpLinkParser.Parse(FixtureFiles.Read("ip-addr/lab-h1-bridge-vxlan-container-details.json"));

        Assert.Equal<ObservedLink>(fromLink, fromAddr);
        Assert.Equal(new VxlanInfo(4242, "198.51.100.1", 4789, "eth0"), fromAddr.Single(l => l.Name == "sbcap-vx0").Vxlan);
        Assert.Equal(["sbcap-vx0", "vethTROvMg"], fromAddr.Where(l => l.Master == "sbcap-br0").Select(l => l.Name).Order());
    }
}
