using Superbridge.Core.Observed;

namespace Superbridge.Core.Tests.Observed;

public class BridgeLinkParserTests
{
    [Fact]
    public void Ports_list_master_and_forwarding_state()
    {
        var ports = BridgeLinkParser.Parse(FixtureFiles.Read("bridge-link/forwarding-and-disabled.json"));

        Assert.Equal(
            [
                new BridgePort("sbcap-v0", 5, "sbcap-br0", "forwarding", 1500, true),
                new BridgePort("sbcap-v1", 7, "sbcap-br1", "disabled", 1500, true),
                new BridgePort("sbcap-vx", 9, "sbcap-br0", "forwarding", 1450, true),
                new BridgePort("sbcap-c1v", 10, "sbcap-br0", "forwarding", 1450, true),
                new BridgePort("vethh0GgKy", 11, "sbcap-br1", "forwarding", 1500, true),
            ],
            ports.ToArray());
    }

    [Fact]
    public void Ports_of_a_fresh_stp_bridge_show_listening_and_learning()
    {
        var ports = BridgeLinkParser.Parse(FixtureFiles.Read("bridge-link/stp-listening-learning.json")).ToDictionary(p => p.Device);

        Assert.Equal("learning", ports["sbcap-v0"].State);
        Assert.Equal("learning", ports["sbcap-vx"].State);
        Assert.Equal("listening", ports["sbcap-c1v"].State);
        Assert.False(ports["sbcap-v1"].IsUp);
    }

    [Fact]
    public void Port_without_master_is_rejected()
    {
        var error = Assert.Throws<ObservedParseException>(() => BridgeLinkParser.Parse("""[{"ifindex":5,"ifname":"eth1","state":"forwarding"}]"""));

        Assert.Contains("BridgeLinkParser", error.Message);
        Assert.Contains("entry 0 has no string \"master\"", error.Message);
    }
}

public class BridgeFdbParserTests
{
    private static readonly System.Collections.Immutable.ImmutableArray<ObservedFdbEntry> Fdb =
        BridgeFdbParser.Parse(FixtureFiles.Read("bridge-fdb/vxlan-head-end-replication.json"));

    [Fact]
    public void Head_end_replication_entries_carry_their_destination()
    {
        Assert.Contains(new ObservedFdbEntry("sbcap-vx", "00:00:00:00:00:00", "198.51.100.78", null), Fdb);
        Assert.Contains(new ObservedFdbEntry("sbcap-vx", "00:00:00:00:00:00", "198.51.100.79", null), Fdb);
    }

    [Fact]
    public void Flood_destinations_of_a_vxlan_device_are_its_all_zero_entries()
    {
        Assert.Equal(["198.51.100.78", "198.51.100.79"], BridgeFdbParser.FloodDestinations(Fdb, "sbcap-vx").ToArray());
        Assert.Equal(["198.51.100.79"], BridgeFdbParser.FloodDestinations(Fdb, "sbcap-vx2").ToArray());
        Assert.Empty(BridgeFdbParser.FloodDestinations(Fdb, "sbcap-v0"));
    }

    [Fact]
    public void Learned_remote_mac_behind_vxlan_has_the_peer_as_destination()
    {
        Assert.Contains(new ObservedFdbEntry("sbcap-vx", "f2:1f:c1:65:61:66", "198.51.100.78", null), Fdb);
        Assert.Contains(new ObservedFdbEntry("sbcap-vx", "f2:1f:c1:65:61:66", null, "sbcap-br0"), Fdb);
    }

    [Fact]
    public void Bridge_port_entries_name_their_master()
    {
        Assert.Contains(new ObservedFdbEntry("sbcap-c1v", "be:b2:e2:ba:98:a1", null, "sbcap-br0"), Fdb);
        Assert.Contains(new ObservedFdbEntry("vethh0GgKy", "6e:4d:e9:fd:56:b4", null, "sbcap-br1"), Fdb);
    }

    [Fact]
    public void Peer_host_lists_host_a_as_flood_destination()
    {
        var fdb = BridgeFdbParser.Parse(FixtureFiles.Read("bridge-fdb/peer-netns.json"));

        Assert.Equal(["198.51.100.77"], BridgeFdbParser.FloodDestinations(fdb, "sbcap-vx").ToArray());
    }
}
