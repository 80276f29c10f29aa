using System.Collections.Immutable;
using Superbridge.Core.Model;
using Superbridge.Core.Observed;
using Superbridge.Core.Planning;
using Superbridge.Core.Programs;
using Superbridge.Core.Tests.Observed;
using Superbridge.Core.Tests.Support;

namespace Superbridge.Core.Tests.Planning;

/// <summary>
/// What a segment opens on hosts whose filter table drops (FirewallSteps). Fixtures/firewall/capture.sh ran the planner's
/// argv for real in a scratch namespace: the tests check the plan writes exactly those lines and reads back what
/// iptables printed after them.
/// </summary>
public class FirewallPlanTests
{
    private static ImmutableArray<string> Lines(string file) => [.. FixtureFiles.Read("firewall/" + file).Split('\n').Where(l => l.Length > 0)];

    private static readonly string[] CaptureScript = FixtureFiles.Read("firewall/capture.sh").Split('\n');

    private static List<PlanStep> Steps(SegmentPlan plan, string host) => [.. plan.Hosts.Single(h => h.Host == host).Steps];

    private static List<PlanStep> Filter(IEnumerable<PlanStep> steps, bool withGuard = false) =>
        [.. steps.Where(s => s.Id.StartsWith("fw", StringComparison.Ordinal) || (withGuard && s.Id.StartsWith("esp-", StringComparison.Ordinal)))];

    /// <summary>h1 router of a VXLAN segment h1–h3; <paramref name="h1Rules"/> and <paramref name="h2Rules"/> are what iptables -S shows there.</summary>
    private static (Segment Segment, Dictionary<HostId, HostInfo> Hosts, Dictionary<HostId, ObservedHost> Observed) Scene(
        bool encrypted, ImmutableArray<string> h1Rules, ImmutableArray<string>? h2Rules = null, Transport transport = Transport.Vxlan)
    {
        var hosts = Given.Hosts(3);
        var observed = Given.ObservedIpsecReady(3);
        observed["h1"] = observed["h1"] with { FilterRules = h1Rules };
        if (h2Rules is { } rules) observed["h2"] = observed["h2"] with { FilterRules = rules };
        var spec = Given.Segment(transport, 3) with { Encryption = encrypted ? Encryption.Ipsec : Encryption.None };
        return (Given.Allocated(spec, hosts, observed: observed), hosts, observed);
    }

    /// <summary>Whether <paramref name="lines"/> appear in the capture script, in this order (other lines between them allowed).</summary>
    private static void AssertCaptureRan(IEnumerable<string> lines)
    {
        var at = 0;
        foreach (var line in lines)
        {
            var found = Array.IndexOf(CaptureScript, line, at);
            Assert.True(found >= 0, $"capture.sh does not run, after line {at}: {line}");
            at = found + 1;
        }
    }

    [Fact]
    public void A_docker_router_of_an_encrypted_segment_gets_exactly_the_rules_the_capture_ran_and_reads_them_back_as_done()
    {
        var (segment, hosts, observed) = Scene(encrypted: true, Lines("docker.iptables-S.txt"));
        var steps = Filter(Steps(SegmentPlanner.Plan(segment, hosts, observed).Value, "h1"), withGuard: true);
        AssertCaptureRan(steps.Select(s => s.Do.ToShellLine()));
        Assert.Equal(
            ["fw-chain:SB-FW-IN-superbr0",
             "fw:SB-FW-IN-superbr0:esp:2.2.2.2", "fw:SB-FW-IN-superbr0:ike:2.2.2.2", "fw:SB-FW-IN-superbr0:nat-t:2.2.2.2", "fw:SB-FW-IN-superbr0:vxlan:2.2.2.2",
             "fw:SB-FW-IN-superbr0:esp:3.3.3.3", "fw:SB-FW-IN-superbr0:ike:3.3.3.3", "fw:SB-FW-IN-superbr0:nat-t:3.3.3.3", "fw:SB-FW-IN-superbr0:vxlan:3.3.3.3",
             "fw:SB-FW-IN-superbr0:dhcp", "fw:SB-FW-IN-superbr0:dns-udp", "fw:SB-FW-IN-superbr0:dns-tcp", "fw-jump:SB-FW-IN-superbr0",
             "fw-chain:SB-FW-FWD-superbr0", "fw:SB-FW-FWD-superbr0:bridged", "fw:SB-FW-FWD-superbr0:routed-out", "fw:SB-FW-FWD-superbr0:routed-back",
             "fw-jump:SB-FW-FWD-superbr0"],
            steps.Where(s => s.Id.StartsWith("fw", StringComparison.Ordinal)).Select(s => s.Id));

        observed["h1"] = observed["h1"] with { FilterRules = Lines("docker-router-ipsec.applied.txt") };
        var again = SegmentPlanner.Plan(segment, hosts, observed).Value;
        Assert.Empty(Filter(Steps(again, "h1"), withGuard: true));
        Assert.DoesNotContain(again.Drift, d => d.Host == "h1" && d.Device.Contains("SB-", StringComparison.Ordinal));
    }

    [Fact]
    public void The_accept_chain_is_never_evaluated_before_the_plaintext_guard_and_accepts_tunnel_packets_only_through_ipsec()
    {
        var (segment, hosts, observed) = Scene(encrypted: true, Lines("docker.iptables-S.txt"));
        var steps = Steps(SegmentPlanner.Plan(segment, hosts, observed).Value, "h1");

        // In the plan: the guard's INPUT jump comes first, ours inserts itself below every guard jump it finds.
        Assert.True(steps.FindIndex(s => s.Id == "esp-guard-jump:SB-ESP-IN-superbr0") < steps.FindIndex(s => s.Id == "fw-jump:SB-FW-IN-superbr0"));
        // As the kernel listed INPUT after the capture ran those steps: guard first, then ours, then the host's rules.
        var input = Lines("docker-router-ipsec.applied.txt").Where(l => l.StartsWith("-A INPUT ", StringComparison.Ordinal)).ToList();
        Assert.Equal(["-A INPUT -j SB-ESP-IN-superbr0", "-A INPUT -j SB-FW-IN-superbr0"], input.Take(2));
        // And wherever it sits, no rule of ours accepts a tunnel packet that did not come through IPsec.
        var tunnel = steps.Where(s => s.Id.StartsWith("fw:SB-FW-IN-superbr0:vxlan:", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, tunnel.Count);
        Assert.All(tunnel, s => Assert.EndsWith("-m policy --dir in --pol ipsec -j ACCEPT", s.Do.ToShellLine()));
    }

    [Fact]
    public void Our_jump_found_above_a_plaintext_guard_is_reported_as_drift()
    {
        var (segment, hosts, observed) = Scene(encrypted: true, Lines("docker.iptables-S.txt"));
        var applied = Lines("docker-router-ipsec.applied.txt");
        // Swap the two jumps, as if someone deleted and re-inserted the guard below ours.
        var swapped = applied.Select(l => l switch
        {
            "-A INPUT -j SB-ESP-IN-superbr0" => "-A INPUT -j SB-FW-IN-superbr0",
            "-A INPUT -j SB-FW-IN-superbr0" => "-A INPUT -j SB-ESP-IN-superbr0",
            _ => l,
        });
        observed["h1"] = observed["h1"] with { FilterRules = [.. swapped] };

        var drift = SegmentPlanner.DetectDrift(segment, hosts, observed).Value;

        Assert.Contains(drift, d => d.Host == "h1" && d.Detail.Contains("comes before a plaintext guard", StringComparison.Ordinal));
    }

    [Fact]
    public void Teardown_runs_the_undo_the_capture_ran_and_leaves_the_docker_rules_as_they_were()
    {
        var (segment, hosts, observed) = Scene(encrypted: true, Lines("docker.iptables-S.txt"));
        observed["h1"] = observed["h1"] with { FilterRules = Lines("docker-router-ipsec.applied.txt") };

        var teardown = Filter(Steps(SegmentPlanner.PlanTeardown(segment, hosts, observed).Value, "h1"), withGuard: true);

        Assert.Equal(18 + 12, teardown.Count); // 18 firewall steps, 12 of the guard
        AssertCaptureRan(teardown.Select(s => s.Do.ToShellLine()));
        Assert.Equal(Lines("docker.iptables-S.txt").ToArray(), Lines("docker-router-ipsec.torn-down.txt").ToArray());
    }

    [Fact]
    public void Without_a_guard_the_input_jump_goes_first_above_the_host_trailing_reject()
    {
        var (segment, hosts, observed) = Scene(encrypted: false, Lines("reject.iptables-S.txt"));
        var steps = Filter(Steps(SegmentPlanner.Plan(segment, hosts, observed).Value, "h1"));
        AssertCaptureRan(steps.Select(s => s.Do.ToShellLine()));

        var applied = Lines("reject-router.applied.txt");
        Assert.Equal("-A INPUT -j SB-FW-IN-superbr0", applied.First(l => l.StartsWith("-A INPUT ", StringComparison.Ordinal)));
        Assert.Equal("-A FORWARD -j SB-FW-FWD-superbr0", applied.First(l => l.StartsWith("-A FORWARD ", StringComparison.Ordinal)));
        observed["h1"] = observed["h1"] with { FilterRules = applied };
        Assert.Empty(Filter(Steps(SegmentPlanner.Plan(segment, hosts, observed).Value, "h1")));

        var teardown = Filter(Steps(SegmentPlanner.PlanTeardown(segment, hosts, observed).Value, "h1"));
        AssertCaptureRan(teardown.Select(s => s.Do.ToShellLine()));
        Assert.Equal(Lines("reject.iptables-S.txt").ToArray(), Lines("reject-router.torn-down.txt").ToArray());
    }

    [Fact]
    public void A_member_that_is_not_the_router_opens_its_tunnel_and_bridged_frames_but_no_dhcp_dns_or_routing()
    {
        var (segment, hosts, observed) = Scene(encrypted: false, Lines("plain.iptables-S.txt"), Lines("docker.iptables-S.txt"));
        var ids = Filter(Steps(SegmentPlanner.Plan(segment, hosts, observed).Value, "h2")).Select(s => s.Id);

        Assert.Equal(
            ["fw-chain:SB-FW-IN-superbr0", "fw:SB-FW-IN-superbr0:vxlan:1.1.1.1", "fw:SB-FW-IN-superbr0:vxlan:3.3.3.3", "fw-jump:SB-FW-IN-superbr0",
             "fw-chain:SB-FW-FWD-superbr0", "fw:SB-FW-FWD-superbr0:bridged", "fw-jump:SB-FW-FWD-superbr0"],
            ids);
    }

    [Fact]
    public void A_host_whose_filter_table_accepts_gets_no_firewall_step()
    {
        var (segment, hosts, observed) = Scene(encrypted: true, Lines("plain.iptables-S.txt"), Lines("plain.iptables-S.txt"));
        var plan = SegmentPlanner.Plan(segment, hosts, observed).Value;

        Assert.Empty(Filter(plan.Hosts.SelectMany(h => h.Steps)));
    }

    [Fact]
    public void Teardown_still_removes_the_chains_after_the_host_stopped_filtering()
    {
        var (segment, hosts, observed) = Scene(encrypted: false, Lines("reject.iptables-S.txt"));
        // Applied, then the operator removed the REJECT rules; Superbridge's chains are still there.
        var withoutReject = Lines("reject-router.applied.txt").Where(l => !l.Contains("REJECT", StringComparison.Ordinal));
        observed["h1"] = observed["h1"] with { FilterRules = [.. withoutReject] };

        var teardown = Filter(Steps(SegmentPlanner.PlanTeardown(segment, hosts, observed).Value, "h1"));

        Assert.Contains(teardown, s => s.Id == "fw-chain:SB-FW-IN-superbr0");
        Assert.Contains(teardown, s => s.Id == "fw-chain:SB-FW-FWD-superbr0");
    }

    public static TheoryData<Transport, string[]> TunnelRules => new()
    {
        { Transport.Gretap, ["iptables", "-t", "filter", "-A", "SB-FW-IN-superbr0", "-s", "2.2.2.2/32", "-p", "47", "-j", "ACCEPT"] },
        { Transport.L2tpv3Ip, ["iptables", "-t", "filter", "-A", "SB-FW-IN-superbr0", "-s", "2.2.2.2/32", "-p", "115", "-j", "ACCEPT"] },
        { Transport.L2tpv3Udp, ["iptables", "-t", "filter", "-A", "SB-FW-IN-superbr0", "-s", "2.2.2.2/32", "-p", "udp", "-m", "udp", "--dport", "PORT", "-j", "ACCEPT"] },
        { Transport.Vxlan, ["iptables", "-t", "filter", "-A", "SB-FW-IN-superbr0", "-s", "2.2.2.2/32", "-p", "udp", "-m", "udp", "--dport", "4789", "-j", "ACCEPT"] },
    };

    [Theory]
    [MemberData(nameof(TunnelRules))]
    public void Each_transport_opens_its_protocol_and_port_from_the_peer_only(Transport transport, string[] expected)
    {
        var (segment, hosts, observed) = Scene(encrypted: false, Lines("docker.iptables-S.txt"), transport: transport);
        var rule = Steps(SegmentPlanner.Plan(segment, hosts, observed).Value, "h1").Single(s => s.Id == $"fw:SB-FW-IN-superbr0:{transport.ToWire()}:2.2.2.2");
        // L2TPv3 over UDP: the port h1's end of its link to h2 listens on.
        var port = segment.Allocation.Links.SingleOrDefault(l => l.A == "h1")?.PortA?.ToString(System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(expected.Select(w => w == "PORT" ? port : w).ToArray(), rule.Do.Words());
    }

    [Fact]
    public void The_boot_program_replays_the_firewall_steps_after_a_reboot()
    {
        var (segment, hosts, observed) = Scene(encrypted: true, Lines("docker.iptables-S.txt"));
        observed["h1"] = observed["h1"] with { Boot = new BootState(Persistence.Systemd, "persistent", [], []) };
        var steps = Steps(SegmentPlanner.Plan(segment, hosts, observed).Value, "h1");
        // The program's text is one argument of the step that writes it.
        var program = steps.Single(s => s.Id == "boot-program:lan").Do.Argv.Single(a => a.Contains("SB-FW-IN-superbr0", StringComparison.Ordinal));

        foreach (var step in Filter(steps))
            Assert.Contains(step.Do.ToShellLine(), program);
        // Replayed in plan order: the guard's jump before ours.
        Assert.True(program.IndexOf("-I INPUT -j SB-ESP-IN-superbr0", StringComparison.Ordinal) < program.IndexOf("sh SB-FW-IN-superbr0", StringComparison.Ordinal));
    }
}
