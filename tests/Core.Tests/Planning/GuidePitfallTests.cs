using Superbridge.Core.Model;
using Superbridge.Core.Planning;
using Superbridge.Core.Tests.Support;

namespace Superbridge.Core.Tests.Planning;

/// <summary>The hand guide's mistakes, each pinned so the product never repeats them.</summary>
public class GuidePitfallTests
{
    private static readonly Dictionary<HostId, HostInfo> Hosts = Given.Hosts(2);

    private static SegmentPlan PlanFor(Transport transport) =>
        SegmentPlanner.Plan(Given.Allocated(Given.Segment(transport), Hosts), Hosts).Value;

    private static IEnumerable<string[]> Argvs(SegmentPlan plan, string host) =>
        plan.Hosts.Single(h => h.Host == host).Steps.Select(s => s.Do.Words());

    private static string ValueAfter(string[] argv, string keyword) => argv[Array.IndexOf(argv, keyword) + 1];

    [Theory]
    [InlineData(Transport.Gretap)]
    [InlineData(Transport.L2tpv3Udp)]
    [InlineData(Transport.L2tpv3Ip)]
    public void Host_b_remote_is_host_a_address(Transport transport)
    {
        // The guide's host B used "local 2.2.2.2 remote 2.2.2.2".
        var plan = PlanFor(transport);
        var tunnelB = Argvs(plan, "h2").Single(a => a.Contains("remote"));
        var tunnelA = Argvs(plan, "h1").Single(a => a.Contains("remote"));
        Assert.Equal("1.1.1.1", ValueAfter(tunnelB, "remote"));
        Assert.Equal("2.2.2.2", ValueAfter(tunnelB, "local"));
        Assert.Equal("2.2.2.2", ValueAfter(tunnelA, "remote"));
        Assert.Equal("1.1.1.1", ValueAfter(tunnelA, "local"));
    }

    [Fact]
    public void L2tp_uses_udp_dport_not_udp_port()
    {
        var plan = PlanFor(Transport.L2tpv3Udp);
        foreach (var host in new[] { "h1", "h2" })
        {
            var tunnel = Argvs(plan, host).Single(a => a.Contains("tunnel"));
            Assert.Contains("udp_dport", tunnel);
            Assert.Contains("udp_sport", tunnel);
            Assert.DoesNotContain("udp_port", tunnel);
        }
    }

    [Fact]
    public void L2tp_ports_are_mirrored_between_the_ends()
    {
        var plan = PlanFor(Transport.L2tpv3Udp);
        var a = Argvs(plan, "h1").Single(x => x.Contains("tunnel"));
        var b = Argvs(plan, "h2").Single(x => x.Contains("tunnel"));
        Assert.Equal(ValueAfter(a, "udp_sport"), ValueAfter(b, "udp_dport"));
        Assert.Equal(ValueAfter(a, "udp_dport"), ValueAfter(b, "udp_sport"));
        Assert.Equal(ValueAfter(a, "tunnel_id"), ValueAfter(b, "peer_tunnel_id"));
        Assert.Equal(ValueAfter(a, "peer_tunnel_id"), ValueAfter(b, "tunnel_id"));
    }

    [Theory]
    [InlineData(Transport.Gretap)]
    [InlineData(Transport.L2tpv3Udp)]
    [InlineData(Transport.L2tpv3Ip)]
    [InlineData(Transport.Vxlan)]
    public void No_stray_characters_in_addresses(Transport transport)
    {
        // The guide wrote "local 1.1.1.1." on host A.
        foreach (var argv in PlanFor(transport).Hosts.SelectMany(h => h.Steps).Select(s => s.Do.Words()))
            foreach (var keyword in new[] { "local", "remote", "dst" })
                if (Array.IndexOf(argv, keyword) is >= 0 and var i && i + 1 < argv.Length)
                    Assert.Matches(@"^\d{1,3}(\.\d{1,3}){3}$", argv[i + 1]);
    }

    [Fact]
    public void A_host_address_with_a_trailing_dot_is_refused()
    {
        var hosts = Given.Hosts(Given.Host(1, "1.1.1.1."), Given.Host(2));
        var result = Superbridge.Core.Allocation.SegmentAllocator.Allocate(Given.Segment(Transport.Gretap), hosts, []);
        Assert.Equal("hosts[h1].address", Assert.Single(result.Errors).Path);
    }

    [Theory]
    [InlineData(Transport.L2tpv3Udp, new[] { "l2tp_eth" })]
    [InlineData(Transport.L2tpv3Ip, new[] { "l2tp_eth", "l2tp_ip" })]
    [InlineData(Transport.Gretap, new[] { "ip_gre" })]
    public void Modules_are_loaded_before_the_tunnel_on_both_hosts(Transport transport, string[] modules)
    {
        var plan = PlanFor(transport);
        foreach (var host in plan.Hosts)
        {
            var ids = host.Steps.Select(s => s.Id).ToList();
            var tunnel = ids.FindIndex(id => id.StartsWith("l2tp-tunnel:") || id.StartsWith("link:"));
            foreach (var module in modules)
            {
                var load = ids.IndexOf($"modprobe:{module}");
                Assert.InRange(load, 0, tunnel - 1);
            }
        }
    }

    [Fact]
    public void L2tp_session_device_is_named_not_l2tpeth0()
    {
        var plan = PlanFor(Transport.L2tpv3Udp);
        var session = Argvs(plan, "h1").Single(a => a.Contains("session"));
        Assert.Equal("sbl-lan-0", ValueAfter(session, "name"));
        Assert.DoesNotContain(plan.Hosts.SelectMany(h => h.Steps).SelectMany(s => s.Do.Words()), w => w.StartsWith("l2tpeth"));
    }

    [Fact]
    public void Nat_masquerades_rather_than_accepts()
    {
        // lxc-net's summary in the guide shows "-j ACCEPT" (and "10.0.3..0/24").
        var nat = PlanFor(Transport.Gretap).Hosts.Single(h => h.Host == "h1").Steps.Single(s => s.Id.StartsWith("nat:"));
        Assert.Equal("iptables -t nat -A SB-superbr0 -s 10.0.2.0/24 ! -d 10.0.2.0/24 -j MASQUERADE".Split(' '), nat.Do.Words());
    }

    [Fact]
    public void Dnsmasq_is_standalone_and_ignores_the_system_config()
    {
        // The guide edits /etc/dnsmasq.conf, which changes the host's own dnsmasq.
        var dnsmasq = PlanFor(Transport.Gretap).Hosts.Single(h => h.Host == "h1").Steps.Single(s => s.Id.StartsWith("dnsmasq:")).Do.Words();
        Assert.Contains("--conf-file=", dnsmasq);
        Assert.Contains("--pid-file=/run/superbridge/dnsmasq-superbr0.pid", dnsmasq);
        Assert.DoesNotContain(dnsmasq, w => w.Contains("/var/run/dnsmasq-superbr0.pid"));
    }

    [Fact]
    public void Vxlan_always_writes_dstport_4789()
    {
        var plan = PlanFor(Transport.Vxlan);
        foreach (var host in plan.Hosts)
        {
            var link = host.Steps.Single(s => s.Id.StartsWith("link:")).Do.Words();
            Assert.Equal("4789", ValueAfter(link, "dstport"));
        }
    }
}
