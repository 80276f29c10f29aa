using Superbridge.Web.Topology;
using static Superbridge.Web.Tests.Topology.TopologyFixtures;

namespace Superbridge.Web.Tests.Topology;

public sealed class RouterDefaultsTests
{
    [Fact]
    public void With_no_segments_the_router_gets_10_0_2_1_24_with_the_rest_for_dhcp()
    {
        Assert.Equal(new RouterDefaults("10.0.2.1/24", "10.0.2.2", "10.0.2.254", "12h", true), RouterDefaults.NextFree([]));
    }

    [Fact]
    public void The_next_free_24_skips_every_subnet_another_segment_routes_even_a_wider_one()
    {
        var hosts = Known(2);
        var a = Allocate(Vxlan("a", "h1", "h2"), hosts);
        var b = Allocate(Vxlan("b", "h1", "h2") with { Bridge = "sbb0", Router = Gateway("h2", "10.0.3.129/25", "10.0.3.130", "10.0.3.200") }, hosts, a);
        var c = Allocate(Vxlan("c", "h1", "h2") with { Bridge = "sbc0", Router = Gateway("h1", "10.0.4.1/23", "10.0.4.2", "10.0.5.250") }, hosts, a, b);

        Assert.Equal("10.0.6.1/24", RouterDefaults.NextFree([a, b, c]).Gateway);
        Assert.Equal("10.0.6.2", RouterDefaults.NextFree([a, b, c]).RangeStart);
    }

    [Fact]
    public void A_segment_being_edited_does_not_block_its_own_subnet()
    {
        var hosts = Known(2);
        var a = Allocate(Vxlan("a", "h1", "h2"), hosts);

        Assert.Equal("10.0.2.1/24", RouterDefaults.NextFree([a], except: "a").Gateway);
        Assert.Equal("10.0.3.1/24", RouterDefaults.NextFree([a]).Gateway);
    }
}
