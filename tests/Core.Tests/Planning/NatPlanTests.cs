using Superbridge.Core.Model;
using Superbridge.Core.Observed;
using Superbridge.Core.Planning;
using Superbridge.Core.Tests.Support;
using Superbridge.Core.Validation;

namespace Superbridge.Core.Tests.Planning;

/// <summary>h1 at 1.1.1.1 (its own address); h2 behind a 1:1 NAT: peers send to 203.0.113.80, its tunnels bind 192.0.2.10.</summary>
public class NatPlanTests
{
    private static readonly Dictionary<HostId, HostInfo> Hosts = Given.Hosts(Given.Host(1), Given.Host(2, "203.0.113.80"));

    private static Dictionary<HostId, ObservedHost> Observed(bool ipsec = false)
    {
        var observed = new Dictionary<HostId, ObservedHost> { ["h1"] = Given.Observed("h1"), ["h2"] = TunnelAddressesTests.TwoNetworks() };
        return ipsec ? observed.ToDictionary(o => o.Key, o => o.Value with { Ipsec = Given.IpsecReady }) : observed;
    }

    private static SegmentPlan Plan(Transport transport, bool ipsec = false)
    {
        var spec = Given.Segment(transport) with { Encryption = ipsec ? Encryption.Ipsec : Encryption.None };
        var observed = Observed(ipsec);
        return SegmentPlanner.Plan(Given.Allocated(spec, Hosts, observed: observed), Hosts, observed).Value;
    }

    private static PlanStep Step(SegmentPlan plan, string host, string id) => plan.Hosts.Single(h => h.Host == host).Steps.Single(s => s.Id == id);

    [Theory]
    [InlineData(Transport.Gretap, "gretap")]
    [InlineData(Transport.L2tpv3Ip, "l2tpv3-ip")]
    public void Bare_ip_transports_to_a_natted_host_are_refused_naming_the_host(Transport transport, string wire)
    {
        var errors = SegmentValidator.Validate(Given.Segment(transport), Hosts, Observed());
        var error = Assert.Single(errors);
        Assert.Equal("transport", error.Path);
        Assert.Equal(ErrorCode.Unsupported, error.Code);
        Assert.Equal($"host h2 is behind a NAT (its tunnels bind 192.0.2.10, peers send to 203.0.113.80): {wire} has no ports for a NAT to map; use vxlan or l2tpv3-udp",
            error.Message);
    }

    [Fact]
    public void A_configured_tunnel_address_equal_to_the_peer_address_is_no_nat()
    {
        var hosts = Given.Hosts(Given.Host(1), Given.Host(2, "203.0.113.80") with { TunnelAddress = "203.0.113.80" });
        Assert.Empty(SegmentValidator.Validate(Given.Segment(Transport.Gretap), hosts, Observed()));
    }

    [Fact]
    public void Vxlan_binds_the_private_address_and_floods_to_the_peer_addresses()
    {
        var plan = Plan(Transport.Vxlan);
        Assert.Equal("ip link add sbx-lan-0 type vxlan id 1 local 192.0.2.10 dstport 4789".Split(' '), Step(plan, "h2", "link:sbx-lan-0").Do.Words());
        Assert.Equal("bridge fdb append 00:00:00:00:00:00 dev sbx-lan-0 dst 1.1.1.1".Split(' '), Step(plan, "h2", "fdb:sbx-lan-0:1.1.1.1").Do.Words());
        Assert.Equal("ip link add sbx-lan-0 type vxlan id 1 local 1.1.1.1 dstport 4789".Split(' '), Step(plan, "h1", "link:sbx-lan-0").Do.Words());
        Assert.Equal("bridge fdb append 00:00:00:00:00:00 dev sbx-lan-0 dst 203.0.113.80".Split(' '), Step(plan, "h1", "fdb:sbx-lan-0:203.0.113.80").Do.Words());
    }

    [Fact]
    public void L2tp_over_udp_binds_the_private_address_and_sends_to_the_peer_addresses()
    {
        var plan = Plan(Transport.L2tpv3Udp);
        var h1 = plan.Hosts.Single(h => h.Host == "h1").Steps.Single(s => s.Id.StartsWith("l2tp-tunnel:", StringComparison.Ordinal)).Do.ToShellLine();
        var h2 = plan.Hosts.Single(h => h.Host == "h2").Steps.Single(s => s.Id.StartsWith("l2tp-tunnel:", StringComparison.Ordinal)).Do.ToShellLine();
        Assert.Contains(" encap udp local 1.1.1.1 remote 203.0.113.80 ", h1);
        Assert.Contains(" encap udp local 192.0.2.10 remote 1.1.1.1 ", h2);
    }

    [Fact]
    public void Ipsec_binds_the_private_address_but_both_ends_authenticate_with_the_public_one()
    {
        var plan = Plan(Transport.Vxlan, ipsec: true);
        var h2 = plan.Hosts.Single(h => h.Host == "h2").Steps;
        var conf = h2.Single(s => s.Id.StartsWith("ipsec:", StringComparison.Ordinal)).Do.Argv[4];
        Assert.Contains("\t\tlocal_addrs = 192.0.2.10\n\t\tremote_addrs = 1.1.1.1\n", conf);
        Assert.Contains("\t\tlocal {\n\t\t\tauth = psk\n\t\t\tid = 203.0.113.80\n\t\t}\n\t\tremote {\n\t\t\tauth = psk\n\t\t\tid = 1.1.1.1\n", conf);
        Assert.Equal(["203.0.113.80", "1.1.1.1"], h2.Single(s => s.Id.StartsWith("ipsec-key:", StringComparison.Ordinal)).Do.Argv.Skip(7).Take(2));

        var h1 = plan.Hosts.Single(h => h.Host == "h1").Steps;
        var h1Conf = h1.Single(s => s.Id.StartsWith("ipsec:", StringComparison.Ordinal)).Do.Argv[4];
        Assert.Contains("\t\tlocal_addrs = 1.1.1.1\n\t\tremote_addrs = 203.0.113.80\n", h1Conf);
        Assert.Contains("\t\tremote {\n\t\t\tauth = psk\n\t\t\tid = 203.0.113.80\n", h1Conf);
        // The guard drops clear tunnel packets to and from the address the peer's packets carry: its public one.
        Assert.Contains(h1, s => s.Description.Contains("from 203.0.113.80 that did not go through IPsec", StringComparison.Ordinal));
    }

    [Fact]
    public void Key_rotation_writes_the_public_identities_on_the_natted_end()
    {
        var spec = Given.Segment(Transport.Vxlan) with { Encryption = Encryption.Ipsec };
        var segment = Given.Allocated(spec, Hosts, observed: Observed(ipsec: true));
        var plan = SegmentPlanner.PlanKeyRotation(segment, IpsecPair.Of(segment.Spec).Single(), Hosts).Value;
        var h2 = plan.Hosts.Single(h => h.Host == "h2").Steps[0];
        Assert.Equal(["203.0.113.80", "1.1.1.1"], h2.Do.Argv.Skip(7).Take(2));
    }
}
