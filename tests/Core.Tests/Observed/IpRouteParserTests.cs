using System.Collections.Immutable;
using Superbridge.Core.Observed;

namespace Superbridge.Core.Tests.Observed;

public class IpRouteParserTests
{
    private static ObservedHost TwoNetworks() => new()
    {
        Hostname = "sbcap-rt", KernelRelease = "", IprouteVersion = "", Features = KernelFeatures.None,
        Routes = IpRouteParser.Parse(FixtureFiles.Read("ip-route/two-networks.txt")),
        Addresses = IpAddrParser.Parse(FixtureFiles.Read("ip-route/two-networks-addr.json")),
    };

    [Fact]
    public void Reads_both_families_with_gateway_device_source_and_metric()
    {
        var routes = IpRouteParser.Parse(FixtureFiles.Read("ip-route/two-networks.txt"));

        Assert.Contains(new ObservedRoute("inet", "default", "sbcap-priv", "192.0.2.1", null, 0), routes);
        Assert.Contains(new ObservedRoute("inet", "default", "sbcap-mgmt", "198.51.100.254", null, 200), routes);
        Assert.Contains(new ObservedRoute("inet", "203.0.113.7", "sbcap-mgmt", "198.51.100.254", "198.51.100.60", 0), routes);
        Assert.Contains(new ObservedRoute("inet6", "default", "sbcap-priv", "fd00:77::1", null, 1024), routes);
    }

    [Fact]
    public void A_host_without_ipv6_prints_an_empty_second_table()
    {
        Assert.Single(IpRouteParser.Parse("[{\"dst\":\"default\",\"gateway\":\"198.51.100.253\",\"dev\":\"eth0\",\"flags\":[]}]\n[]\n"));
    }

    [Fact]
    public void Output_that_is_not_one_array_per_family_is_refused()
    {
        Assert.Throws<ObservedParseException>(() => IpRouteParser.Parse("[]\n[]\n[]\n"));
        Assert.Throws<ObservedParseException>(() => IpRouteParser.Parse("default via 192.0.2.1 dev eth0\n"));
    }

    [Fact]
    public void A_peer_outside_every_subnet_leaves_by_the_default_route_of_lowest_metric_from_its_device_address()
    {
        var choice = RouteLookup.Toward(TwoNetworks(), "198.18.0.5");

        Assert.Equal(("sbcap-priv", "192.0.2.10"), (choice!.Device, choice.Source));
    }

    [Fact]
    public void The_longest_prefix_wins_and_its_preferred_source_is_used()
    {
        Assert.Equal(("sbcap-mgmt", "198.51.100.60"), (RouteLookup.Toward(TwoNetworks(), "198.51.100.9")!.Device, RouteLookup.Toward(TwoNetworks(), "198.51.100.9")!.Source));
        Assert.Equal("198.51.100.60", RouteLookup.Toward(TwoNetworks(), "203.0.113.7")!.Source);
    }

    [Fact]
    public void Ipv6_peers_use_the_ipv6_table_and_a_global_address_not_the_link_local_one()
    {
        var choice = RouteLookup.Toward(TwoNetworks(), "2001:db8::1");

        Assert.Equal(("sbcap-priv", "fd00:77::10"), (choice!.Device, choice.Source));
    }

    [Fact]
    public void No_route_of_the_family_is_no_choice()
    {
        var host = TwoNetworks() with { Routes = IpRouteParser.Parse(FixtureFiles.Read("ip-route/two-networks.txt")).Where(r => r.Family == "inet").ToImmutableArray() };

        Assert.Null(RouteLookup.Toward(host, "2001:db8::1"));
        Assert.Equal("sbcap-priv", RouteLookup.DefaultDevice(host));
    }
}
