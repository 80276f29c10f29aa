using Superbridge.Core.Observed;

namespace Superbridge.Core.Tests.Observed;

public class L2tpParserTests
{
    [Fact]
    public void Udp_and_ip_tunnels_report_ids_endpoints_and_ports()
    {
        var tunnels = L2tpParser.ParseTunnels(FixtureFiles.Read("ip-l2tp/vm-tunnels.txt"));

        Assert.Equal(
            [
                new ObservedL2tpTunnel(1001, 2001, "UDP", "198.51.100.77", "198.51.100.78", 5001, 5002),
                new ObservedL2tpTunnel(1002, 2002, "IP", "198.51.100.77", "198.51.100.79", null, null),
            ],
            tunnels.ToArray());
    }

    [Fact]
    public void Sessions_report_ids_tunnel_and_interface_even_with_cookies_on_one_line()
    {
        var sessions = L2tpParser.ParseSessions(FixtureFiles.Read("ip-l2tp/vm-sessions.txt"));

        Assert.Equal(
            [
                new ObservedL2tpSession(1, 1, 1001, "sbcap-l2t0"),
                new ObservedL2tpSession(7, 8, 1002, "sbcap-l2t1"),
            ],
            sessions.ToArray());
    }

    [Fact]
    public void No_tunnels_prints_nothing_and_parses_to_empty()
    {
        Assert.Empty(L2tpParser.ParseTunnels(""));
        Assert.Empty(L2tpParser.ParseSessions("\n"));
    }

    [Fact]
    public void Kernel_without_l2tp_is_recognised_from_the_real_error()
    {
        Assert.True(L2tpParser.IsMissingKernelSupport(FixtureFiles.Read("ip-l2tp/no-kernel-support.stderr.txt")));
        Assert.False(L2tpParser.IsMissingKernelSupport("Error: argument \"x\" is wrong: invalid ID\n"));
    }

    [Fact]
    public void Tunnel_without_endpoints_is_rejected_naming_the_tunnel()
    {
        var error = Assert.Throws<ObservedParseException>(() => L2tpParser.ParseTunnels("Tunnel 5, encap UDP\n  Peer tunnel 6\n"));

        Assert.Equal("L2tpParser: cannot read `ip l2tp show tunnel` output: tunnel 5 (line 1) has no \"From A to B\" line", error.Message);
    }

    [Fact]
    public void Text_that_is_not_a_listing_is_rejected_with_its_line()
    {
        var error = Assert.Throws<ObservedParseException>(() => L2tpParser.ParseSessions("Usage: ip l2tp add tunnel\n"));

        Assert.Contains("L2tpParser", error.Message);
        Assert.Contains("line 1: expected \"Session N in tunnel M\"", error.Message);
    }
}
