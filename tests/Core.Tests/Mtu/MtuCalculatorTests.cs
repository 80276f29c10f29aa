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
    [InlineData(Transport.Gretap, 1500, 1416, 1384)]
    [InlineData(Transport.Vxlan, 1500, 1408, 1376)]
    [InlineData(Transport.L2tpv3Udp, 1500, 1404, 1372)]
    [InlineData(Transport.L2tpv3Ip, 1500, 1416, 1384)]
    // A 9000 underlay: CBC's 16-byte padding still rounds the room down.
    [InlineData(Transport.Vxlan, 9000, 8896, 8880)]
    public void Ipsec_takes_the_larger_esp_overhead_of_the_proposals(Transport transport, int underlay, int ipv4, int ipv6)
    {
        Assert.Equal(ipv4, MtuCalculator.TunnelMtu(underlay, transport, AddressFamily.InterNetwork, encryption: Encryption.Ipsec));
        Assert.Equal(ipv6, MtuCalculator.TunnelMtu(underlay, transport, AddressFamily.InterNetworkV6, encryption: Encryption.Ipsec));
    }

    [Fact]
    public void Esp_sizes_per_transform()
    {
        // 1480 after an IPv4 header: GCM keeps 1480 - 8 - 8 - 16 = 1448 (a multiple of 4) less the 2-byte trailer;
        // CBC keeps 1480 - 8 - 16 - 16 = 1440 (a multiple of 16) less the trailer.
        Assert.Equal([1446, 1438], MtuCalculator.EspProposals.Select(p => p.MaxPayload(1480)));
        Assert.Equal(["aes256gcm16", "aes256-sha256"], MtuCalculator.EspProposals.Select(p => p.Name));
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
