using Superbridge.Core.Observed;

namespace Superbridge.Core.Tests.Observed;

public class IpAddrParserTests
{
    [Fact]
    public void Lists_ipv4_and_ipv6_addresses_per_device()
    {
        var addresses = IpAddrParser.Parse(FixtureFiles.Read("ip-addr/netns-bridge-veth-vxlan-container.json"));

        Assert.Contains(new ObservedAddress("lo", "inet", "127.0.0.1", 8), addresses);
        Assert.Contains(new ObservedAddress("lo", "inet6", "::1", 128), addresses);
        Assert.Contains(new ObservedAddress("sbcap-br0", "inet", "10.77.0.1", 24), addresses);
        Assert.Contains(new ObservedAddress("sbcap-br1", "inet", "10.78.0.1", 24), addresses);
        Assert.Contains(new ObservedAddress("sbcap-u0", "inet", "198.51.100.77", 24), addresses);
        Assert.Contains(addresses, a => a.Device == "sbcap-br0" && a.Family == "inet6" && a.Address.StartsWith("fe80::") && a.PrefixLength == 64);
    }

    [Fact]
    public void Devices_without_addresses_contribute_nothing()
    {
        var addresses = IpAddrParser.Parse(FixtureFiles.Read("ip-addr/netns-bridge-veth-vxlan-container.json"));

        Assert.DoesNotContain(addresses, a => a.Device is "sbcap-dn0" or "sbcap-dn1");
    }

    [Fact]
    public void Ipv4_filtered_output_lists_only_ipv4()
    {
        var addresses = IpAddrParser.Parse(FixtureFiles.Read("ip-addr/ipv4-only-filter.json"));

        Assert.Equal(
            [
                new ObservedAddress("lo", "inet", "127.0.0.1", 8),
                new ObservedAddress("sbcap-br0", "inet", "10.77.0.1", 24),
                new ObservedAddress("sbcap-br1", "inet", "10.78.0.1", 24),
                new ObservedAddress("sbcap-u0", "inet", "198.51.100.77", 24),
            ],
            addresses.ToArray());
    }

    [Fact]
    public void Empty_objects_of_older_iproute2_family_filters_are_skipped()
    {
        var addresses = IpAddrParser.Parse("""[{},{"ifindex":2,"ifname":"eth0","addr_info":[{"family":"inet","local":"192.0.2.5","prefixlen":24}]}]""");

        Assert.Equal([new ObservedAddress("eth0", "inet", "192.0.2.5", 24)], addresses.ToArray());
    }

    [Fact]
    public void Address_without_prefix_length_is_rejected_naming_device_and_position()
    {
        var error = Assert.Throws<ObservedParseException>(() =>
            IpAddrParser.Parse("""[{"ifindex":2,"ifname":"eth0","addr_info":[{"family":"inet","local":"192.0.2.5"}]}]"""));

        Assert.Equal("IpAddrParser: cannot read `ip -j addr show` output: entry 0 (eth0) addr_info[0] has no numeric \"prefixlen\"", error.Message);
    }

    [Fact]
    public void Ip_addr_with_link_details_reads_the_same_addresses()
    {
        var addresses = IpAddrParser.Parse(FixtureFiles.Read("ip-addr/lab-h1-bridge-vxlan-container-details.json"));

        Assert.Contains(new ObservedAddress("eth0", "inet", "198.51.100.1", 24), addresses);
        Assert.Contains(new ObservedAddress("sbcap-br0", "inet", "203.0.113.129", 25), addresses);
    }
}
