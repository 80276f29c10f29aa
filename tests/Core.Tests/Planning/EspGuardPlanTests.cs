using Superbridge.Core.Model;
using Superbridge.Core.Observed;
using Superbridge.Core.Tests.Observed;
using Superbridge.Core.Planning;
using Superbridge.Core.Support;
using Superbridge.Core.Tests.Support;

namespace Superbridge.Core.Tests.Planning;

/// <summary>The plaintext guard of encrypted segments: drop rules in the segment's own filter chains (EspGuardCommands).</summary>
public class EspGuardPlanTests
{
    private static Dictionary<HostId, ObservedHost> Observed(int count) => Given.ObservedIpsecReady(count);

    private static SegmentSpec Encrypted(Transport transport, int hosts = 2, string bridge = "superbr0") =>
        Given.Segment(transport, hosts) with { Encryption = Encryption.Ipsec, Bridge = bridge };

    private static List<PlanStep> Steps(SegmentPlan plan, string host) => [.. plan.Hosts.Single(h => h.Host == host).Steps];

    private static List<string> FixtureLines(string file, string prefix) =>
        [.. FixtureFiles.Read("iptables-filter/" + file).Split('\n').Where(l => l.StartsWith(prefix, StringComparison.Ordinal))];

    [Fact]
    public void A_vxlan_member_drops_the_vxlan_port_to_and_from_each_peer_unless_it_went_through_esp_as_iptables_prints_it()
    {
        var infos = Given.Hosts(3);
        var observed = Observed(3);
        var segment = Given.Allocated(Encrypted(Transport.Vxlan, 3), infos, observed: observed);
        var steps = Steps(SegmentPlanner.Plan(segment, infos, observed).Value, "h1");

        var drops = steps.Where(s => s.Id.StartsWith("esp-drop:", StringComparison.Ordinal)).ToList();
        Assert.Equal(8, drops.Count); // two peers, two children each, both ways
        Assert.All(drops, s => Assert.Equal("-A", s.Do.Argv[3]));
        var written = drops.Select(s => string.Join(' ', s.Do.Argv.Skip(3))).Order();
        Assert.Equal(FixtureLines("vxlan-two-peers.txt", "-A SB-ESP-").Order(), written);

        // Observed as captured after those commands ran: nothing of the guard is left to do.
        observed["h1"] = observed["h1"] with { FilterRules = [.. FixtureFiles.Read("iptables-filter/vxlan-two-peers.txt").Split('\n').Where(l => l.Length > 0)] };
        var again = Steps(SegmentPlanner.Plan(segment, infos, observed).Value, "h1");
        Assert.DoesNotContain(again, s => s.Id.StartsWith("esp-", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(Transport.Gretap, "sbg0")]
    [InlineData(Transport.L2tpv3Ip, "sbl0")]
    public void Rules_iptables_prints_with_protocol_names_count_as_the_numbered_rules_written(Transport transport, string bridge)
    {
        var infos = Given.Hosts(2);
        var observed = Observed(2);
        var segment = Given.Allocated(Encrypted(transport, bridge: bridge), infos, observed: observed);
        Assert.Contains(Steps(SegmentPlanner.Plan(segment, infos, observed).Value, "h1"), s => s.Id.StartsWith("esp-drop:", StringComparison.Ordinal));

        observed["h1"] = observed["h1"] with { FilterRules = [.. FixtureFiles.Read("iptables-filter/gretap-and-l2tp-ip.txt").Split('\n').Where(l => l.Length > 0)] };
        var steps = Steps(SegmentPlanner.Plan(segment, infos, observed).Value, "h1");

        Assert.DoesNotContain(steps, s => s.Id.StartsWith("esp-", StringComparison.Ordinal));
    }

    [Fact]
    public void L2tp_over_udp_drops_each_direction_by_the_ports_it_travels_with()
    {
        var infos = Given.Hosts(2);
        var observed = Observed(2);
        var segment = Given.Allocated(Encrypted(Transport.L2tpv3Udp), infos, observed: observed);
        var link = segment.Allocation.Links.Single();
        var steps = Steps(SegmentPlanner.Plan(segment, infos, observed).Value, "h1");

        var drops = steps.Where(s => s.Id.StartsWith("esp-drop:", StringComparison.Ordinal)).Select(s => string.Join(' ', s.Do.Argv.Skip(3))).ToList();
        Assert.Equal([
            $"-A SB-ESP-OUT-superbr0 -d 2.2.2.2/32 -p udp -m udp --sport {link.PortA} --dport {link.PortB} -m policy --dir out --pol none -j DROP",
            $"-A SB-ESP-IN-superbr0 -s 2.2.2.2/32 -p udp -m udp --sport {link.PortB} --dport {link.PortA} -m policy --dir in --pol none -j DROP",
        ], drops);
    }

    [Fact]
    public void The_guard_comes_after_the_ipsec_connections_and_before_the_tunnel_and_its_jumps_go_first_in_input_and_output()
    {
        var infos = Given.Hosts(2);
        var observed = Observed(2);
        var segment = Given.Allocated(Encrypted(Transport.Gretap), infos, observed: observed);
        var steps = Steps(SegmentPlanner.Plan(segment, infos, observed).Value, "h1");
        var ids = steps.Select(s => s.Id).ToList();

        var lastIpsec = ids.FindLastIndex(id => id.StartsWith("ipsec", StringComparison.Ordinal));
        var firstGuard = ids.FindIndex(id => id.StartsWith("esp-", StringComparison.Ordinal));
        var lastGuard = ids.FindLastIndex(id => id.StartsWith("esp-", StringComparison.Ordinal));
        Assert.True(lastIpsec < firstGuard && lastGuard < ids.FindIndex(id => id.StartsWith("link:", StringComparison.Ordinal)), string.Join(", ", ids));
        var jumps = steps.Where(s => s.Id.StartsWith("esp-guard-jump:", StringComparison.Ordinal)).ToList();
        Assert.Equal([
            ["iptables", "-t", "filter", "-I", "OUTPUT", "-j", "SB-ESP-OUT-superbr0"],
            ["iptables", "-t", "filter", "-I", "INPUT", "-j", "SB-ESP-IN-superbr0"],
        ], jumps.Select(s => s.Do.Argv.ToArray()));
        Assert.All(jumps, s => Assert.Equal("-D", s.Undo!.Argv[3]));
        Assert.All(jumps, s => Assert.Equal("-C", s.Check!.Argv[3]));
    }

    [Fact]
    public void An_unencrypted_segment_has_no_guard()
    {
        var infos = Given.Hosts(2);
        var observed = Observed(2);
        var segment = Given.Allocated(Given.Segment(Transport.Gretap), infos, observed: observed);

        Assert.DoesNotContain(Steps(SegmentPlanner.Plan(segment, infos, observed).Value, "h1"), s => s.Id.StartsWith("esp-", StringComparison.Ordinal));
    }

    [Fact]
    public void A_deleted_drop_rule_is_drift_and_the_repair_puts_back_only_that_rule()
    {
        var infos = Given.Hosts(3);
        var observed = Observed(3);
        var segment = Given.Allocated(Encrypted(Transport.Vxlan, 3), infos, observed: observed);
        var lines = FixtureFiles.Read("iptables-filter/vxlan-two-peers.txt").Split('\n').Where(l => l.Length > 0).ToList();
        var deleted = lines.First(l => l.StartsWith("-A SB-ESP-IN-superbr0 -s 3.3.3.3/32", StringComparison.Ordinal));
        observed["h1"] = observed["h1"] with { FilterRules = [.. lines.Where(l => l != deleted)] };

        var plan = SegmentPlanner.Plan(segment, infos, observed).Value;

        var guard = Steps(plan, "h1").Where(s => s.Id.StartsWith("esp-", StringComparison.Ordinal)).ToList();
        Assert.Equal(deleted, string.Join(' ', Assert.Single(guard).Do.Argv.Skip(3)));
        Assert.Contains(SegmentPlanner.DetectDrift(segment, infos, observed).Value,
            d => d.Host == "h1" && d.Detail == "no rule in SB-ESP-IN-superbr0 dropping clear udp from 3.3.3.3");
    }

    [Fact]
    public void Ipsec_on_an_ipv6_underlay_is_refused_at_encryption_naming_the_host()
    {
        var infos = Given.Hosts(Given.Host(1, "2001:db8::1"), Given.Host(2, "2001:db8::2"));
        var spec = Encrypted(Transport.Gretap);

        var result = Superbridge.Core.Allocation.SegmentAllocator.Allocate(spec, infos, [], null);

        Assert.False(result.IsOk);
        Assert.Contains(result.Errors, e => e.Path == "encryption" && e.Message == "ipsec needs IPv4 underlay addresses; h1 has 2001:db8::1");
    }
}

/// <summary>Encrypted segments applied to and torn down from fake hosts: the guard comes and goes with them.</summary>
public class EncryptedApplyAndTeardownTests
{
    private static (Segment Segment, Dictionary<HostId, HostInfo> Hosts, Dictionary<string, FakeHost> Fakes) Setup(Transport transport)
    {
        var hosts = Given.Hosts(3);
        var fakes = Enumerable.Range(1, 3).ToDictionary(n => $"h{n}", n => new FakeHost($"h{n}") { Ipsec = Given.IpsecReady });
        var spec = Given.Segment(transport, 3) with { Encryption = Encryption.Ipsec };
        return (Given.Allocated(spec, hosts, observed: FakeExecutor.Observe(fakes)), hosts, fakes);
    }

    [Theory]
    [InlineData(Transport.Gretap)]
    [InlineData(Transport.L2tpv3Udp)]
    [InlineData(Transport.L2tpv3Ip)]
    [InlineData(Transport.Vxlan)]
    public void Applied_it_replans_to_nothing_and_its_teardown_leaves_no_chain_or_rule(Transport transport)
    {
        var (segment, hosts, fakes) = Setup(transport);
        var before = fakes.ToDictionary(f => f.Key, f => f.Value.Snapshot());
        FakeExecutor.Apply(SegmentPlanner.Plan(segment, hosts, FakeExecutor.Observe(fakes)).Value, fakes);
        Assert.Contains("-N SB-ESP-IN-superbr0", fakes["h2"].Observe().FilterRules);
        Assert.Contains("-A OUTPUT -j SB-ESP-OUT-superbr0", fakes["h2"].Observe().FilterRules);

        Assert.Equal(0, SegmentPlanner.Plan(segment, hosts, FakeExecutor.Observe(fakes)).Value.StepCount);

        FakeExecutor.Apply(SegmentPlanner.PlanTeardown(segment, hosts, FakeExecutor.Observe(fakes)).Value, fakes);
        foreach (var (name, fake) in fakes)
        {
            Assert.Empty(fake.Observe().FilterRules);
            Assert.Equal(before[name], fake.Snapshot());
        }
    }

    [Fact]
    public void Switching_encryption_off_removes_the_guard_and_on_again_puts_it_back_without_touching_the_tunnels()
    {
        var (segment, hosts, fakes) = Setup(Transport.Gretap);
        FakeExecutor.Apply(SegmentPlanner.Plan(segment, hosts, FakeExecutor.Observe(fakes)).Value, fakes);
        var clear = segment with { Spec = segment.Spec with { Encryption = Encryption.None } };

        var off = SegmentPlanner.PlanChange(segment, clear, hosts, FakeExecutor.Observe(fakes)).Value;
        Assert.DoesNotContain(off.Hosts.SelectMany(h => h.Steps), s => s.Id.StartsWith("link:", StringComparison.Ordinal));
        FakeExecutor.Apply(off, fakes);
        Assert.All(fakes.Values, f => Assert.Empty(f.Observe().FilterRules));

        var on = SegmentPlanner.PlanChange(clear, segment, hosts, FakeExecutor.Observe(fakes)).Value;
        Assert.DoesNotContain(on.Hosts.SelectMany(h => h.Steps), s => s.Id.StartsWith("link:", StringComparison.Ordinal));
        FakeExecutor.Apply(on, fakes);
        Assert.Contains("-N SB-ESP-OUT-superbr0", fakes["h1"].Observe().FilterRules);
        Assert.Equal(0, SegmentPlanner.Plan(segment, hosts, FakeExecutor.Observe(fakes)).Value.StepCount);
    }
}
