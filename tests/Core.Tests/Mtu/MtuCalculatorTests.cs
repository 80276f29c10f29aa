using System.Net.Sockets;
using Superbridge.Core.Model;
using Superbridge.Core.Mtu;
using Superbridge.Core.Planning;
using Superbridge.Core.Tests.Support;

namespace Superbridge.Core.Tests.Mtu;

public class MtuCalculatorTests
{
    [Theory]
    [InlineData(Transport.Gretap, false, 0, 38, 1462)]
    [InlineData(Transport.Gretap, true, 0, 42, 1458)]
    [InlineData(Transport.Vxlan, true, 0, 50, 1450)]
    [InlineData(Transport.L2tpv3Udp, true, 0, 54, 1446)]
    [InlineData(Transport.L2tpv3Udp, true, 4, 58, 1442)]
    [InlineData(Transport.L2tpv3Udp, true, 8, 62, 1438)]
    [InlineData(Transport.L2tpv3Ip, true, 0, 42, 1458)]
    [InlineData(Transport.L2tpv3Ip, true, 8, 50, 1450)]
    public void Ipv4_overheads_from_a_1500_underlay(Transport transport, bool key, int cookie, int overhead, int mtu)
    {
        Assert.Equal(overhead, MtuCalculator.Overhead(transport, AddressFamily.InterNetwork, cookie, key));
        Assert.Equal(mtu, MtuCalculator.TunnelMtu(1500, transport, AddressFamily.InterNetwork, cookie, key));
    }

    [Theory]
    [InlineData(Transport.Gretap)]
    [InlineData(Transport.Vxlan)]
    [InlineData(Transport.L2tpv3Udp)]
    [InlineData(Transport.L2tpv3Ip)]
    public void Ipv6_underlays_add_20(Transport transport) =>
        Assert.Equal(MtuCalculator.Overhead(transport, AddressFamily.InterNetwork) + 20, MtuCalculator.Overhead(transport, AddressFamily.InterNetworkV6));

    [Fact]
    public void The_segment_mtu_is_the_smallest_any_member_can_carry_and_is_set_everywhere()
    {
        var hosts = Given.Hosts(Given.Host(1), Given.Host(2) with { UnderlayMtu = 1400 }, Given.Host(3) with { UnderlayMtu = 9000 });
        var plan = SegmentPlanner.Plan(Given.Allocated(Given.Segment(Transport.Vxlan, 3), hosts), hosts).Value;
        Assert.Equal(1350, plan.Mtu);
        var mtuSteps = plan.Hosts.SelectMany(h => h.Steps).Where(s => s.Id.StartsWith("mtu:")).ToList();
        Assert.Equal(6, mtuSteps.Count); // bridge and vxlan device on each of three hosts
        Assert.All(mtuSteps, s => Assert.Equal("1350", s.Do.Argv[^1]));
    }

    [Fact]
    public void An_mtu_override_below_the_maximum_is_used()
    {
        var hosts = Given.Hosts(2);
        var plan = SegmentPlanner.Plan(Given.Allocated(Given.Segment(Transport.Gretap) with { Mtu = 1400 }, hosts), hosts).Value;
        Assert.Equal(1400, plan.Mtu);
        Assert.Contains("--dhcp-option=option:mtu,1400", plan.Hosts[0].Steps.Single(s => s.Id.StartsWith("dnsmasq")).Do.Words());
    }
}
