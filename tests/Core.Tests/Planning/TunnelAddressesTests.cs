using Superbridge.Core.Model;
using Superbridge.Core.Observed;
using Superbridge.Core.Planning;
using Superbridge.Core.Tests.Observed;
using Superbridge.Core.Tests.Support;

namespace Superbridge.Core.Tests.Planning;

/// <summary>
/// The captured host of ip-route/two-networks: sbcap-priv 192.0.2.10/24 (default route, metric 0) and sbcap-mgmt
/// 198.51.100.60/24 (default metric 200, a host route to 203.0.113.7).
/// </summary>
public class TunnelAddressesTests
{
    internal static ObservedHost TwoNetworks() => Given.Observed("h2") with
    {
        Routes = IpRouteParser.Parse(FixtureFiles.Read("ip-route/two-networks.txt")),
        Addresses = IpAddrParser.Parse(FixtureFiles.Read("ip-route/two-networks-addr.json")),
    };

    private static readonly HostInfo Peer = Given.Host(1, "203.0.113.9");

    [Fact]
    public void A_configured_tunnel_address_wins_over_the_routes()
    {
        var host = Given.Host(2, "203.0.113.80") with { TunnelAddress = "198.51.100.60" };
        Assert.Equal(new TunnelAddress("198.51.100.60", TunnelAddressSource.Configured, null), TunnelAddresses.Local(host, TwoNetworks(), Peer));
    }

    [Fact]
    public void A_host_behind_a_1to1_nat_binds_the_source_of_its_route_toward_the_peer()
    {
        // 203.0.113.80 is the NAT's public address: on no device of the host.
        var local = TunnelAddresses.Local(Given.Host(2, "203.0.113.80"), TwoNetworks(), Peer);
        Assert.Equal(new TunnelAddress("192.0.2.10", TunnelAddressSource.Route, "sbcap-priv"), local);
    }

    [Fact]
    public void A_host_route_picks_its_own_device_and_source()
    {
        var local = TunnelAddresses.Local(Given.Host(2, "203.0.113.80"), TwoNetworks(), Given.Host(1, "203.0.113.7"));
        Assert.Equal(new TunnelAddress("198.51.100.60", TunnelAddressSource.Route, "sbcap-mgmt"), local);
    }

    [Fact]
    public void The_peer_address_is_preferred_when_it_is_on_the_routes_device()
    {
        // A second address on sbcap-priv: the route's first address would be 192.0.2.10, but peers know this host as .11.
        var observed = TwoNetworks();
        observed = observed with { Addresses = observed.Addresses.Add(new ObservedAddress("sbcap-priv", "inet", "192.0.2.11", 24)) };
        Assert.Equal(new TunnelAddress("192.0.2.11", TunnelAddressSource.Route, "sbcap-priv"), TunnelAddresses.Local(Given.Host(2, "192.0.2.11"), observed, Peer));
    }

    [Fact]
    public void Without_observed_routes_the_tunnel_binds_the_peer_address()
    {
        Assert.Equal(new TunnelAddress("203.0.113.80", TunnelAddressSource.PeerAddress, null), TunnelAddresses.Local(Given.Host(2, "203.0.113.80"), null, Peer));
        Assert.Equal(new TunnelAddress("203.0.113.80", TunnelAddressSource.PeerAddress, null),
            TunnelAddresses.Local(Given.Host(2, "203.0.113.80"), Given.Observed("h2"), Peer));
    }

    [Theory]
    [InlineData("192.0.2.10", true)]
    [InlineData("198.51.100.60", true)]
    [InlineData("203.0.113.80", false)]
    public void Says_whether_an_address_is_on_the_host(string address, bool onHost) =>
        Assert.Equal(onHost, TunnelAddresses.IsOnHost(TwoNetworks(), address));
}
