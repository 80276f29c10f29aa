using Superbridge.Core.Support;
using Superbridge.Core.Allocation;
using Superbridge.Core.Model;
using Superbridge.Core.Planning;
using Superbridge.Core.Tests.Support;

namespace Superbridge.Core.Tests.Planning;

/// <summary>
/// Plans run on fake hosts that understand the exact argv: applying then observing yields an empty
/// plan and no drift; teardown and rollback leave hosts exactly as they were.
/// </summary>
public class ApplyAndTeardownTests
{
    public static TheoryData<Transport, bool> Cases => new()
    {
        { Transport.Gretap, false }, { Transport.L2tpv3Udp, false }, { Transport.L2tpv3Ip, false }, { Transport.Vxlan, false },
        { Transport.Gretap, true }, { Transport.L2tpv3Udp, true }, { Transport.L2tpv3Ip, true }, { Transport.Vxlan, true },
    };

    private static (Segment Segment, Dictionary<HostId, HostInfo> Hosts, Dictionary<string, FakeHost> Fakes) Setup(Transport transport, bool external)
    {
        var hosts = Given.Hosts(3);
        var fakes = new Dictionary<string, FakeHost>
        {
            ["h1"] = new("h1", "0"),
            ["h2"] = new("h2", "0", Given.Container("web", "RUNNING", "lxcbr0"), Given.Container("db", "STOPPED", "lxcbr0")),
            ["h3"] = new("h3", "1"),
        };
        var router = external
            ? new RouterSpec { Host = "h1", Mode = RouterMode.External, ExternalInterface = "eth0" }
            : Given.Router() with { NatOutInterface = "eth0" };
        var spec = Given.Segment(transport, 3) with
        {
            Router = router,
            Attachments = [new AttachmentSpec("h2", "web"), new AttachmentSpec("h2", "db")],
        };
        return (SegmentAllocator.Allocate(spec, hosts, [], FakeExecutor.Observe(fakes)).Value, hosts, fakes);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Replanning_an_applied_segment_yields_zero_steps_and_no_drift(Transport transport, bool external)
    {
        var (segment, hosts, fakes) = Setup(transport, external);
        FakeExecutor.Apply(SegmentPlanner.Plan(segment, hosts, FakeExecutor.Observe(fakes)).Value, fakes);

        var again = SegmentPlanner.Plan(segment, hosts, FakeExecutor.Observe(fakes)).Value;
        Assert.Equal(0, again.StepCount);
        Assert.Empty(again.Drift);
        Assert.Empty(SegmentPlanner.DetectDrift(segment, hosts, FakeExecutor.Observe(fakes)).Value);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Teardown_leaves_hosts_as_they_were(Transport transport, bool external)
    {
        var (segment, hosts, fakes) = Setup(transport, external);
        var before = fakes.ToDictionary(f => f.Key, f => f.Value.Snapshot());
        FakeExecutor.Apply(SegmentPlanner.Plan(segment, hosts, FakeExecutor.Observe(fakes)).Value, fakes);
        Assert.NotEqual(before["h1"], fakes["h1"].Snapshot());

        FakeExecutor.Apply(SegmentPlanner.PlanTeardown(segment, hosts, FakeExecutor.Observe(fakes)).Value, fakes);
        foreach (var (name, fake) in fakes) Assert.Equal(before[name], fake.Snapshot());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Rollback_after_any_step_restores_the_host(Transport transport, bool external)
    {
        var (segment, hosts, fakes) = Setup(transport, external);
        var plan = SegmentPlanner.Plan(segment, hosts, FakeExecutor.Observe(fakes)).Value;
        foreach (var hostPlan in plan.Hosts)
        {
            for (var failAt = 0; failAt <= hostPlan.Steps.Length; failAt++)
            {
                var (_, _, fresh) = Setup(transport, external);
                var host = fresh[hostPlan.Host.Value];
                var before = host.Snapshot();
                var done = hostPlan.Steps.Take(failAt).ToList();
                foreach (var step in done) host.Run(step.Do);
                foreach (var step in Enumerable.Reverse(done)) if (step.Undo is not null) host.Run(step.Undo);
                Assert.Equal(before, host.Snapshot());
            }
        }
    }

    [Fact]
    public void Teardown_is_the_exact_reverse_of_setup_with_do_and_undo_swapped()
    {
        var hosts = Given.Hosts(3);
        var segment = Given.Allocated(Given.Segment(Transport.L2tpv3Udp, 3), hosts, observed: Given.ObservedAll(3));
        var setup = SegmentPlanner.Plan(segment, hosts).Value;
        var teardown = SegmentPlanner.PlanTeardown(segment, hosts).Value;
        foreach (var host in setup.Hosts)
        {
            var expected = host.Steps.Where(s => s.Undo is not null).Reverse().ToList();
            var actual = teardown.Hosts.Single(h => h.Host == host.Host).Steps;
            Assert.Equal(expected.Select(s => s.Id), actual.Select(s => s.Id));
            Assert.Equal(expected.Select(s => s.Undo!), actual.Select(s => s.Do));
            Assert.Equal(expected.Select(s => s.Do), actual.Select(s => s.Undo!));
        }
    }

    [Fact]
    public void Teardown_check_is_the_negated_setup_check()
    {
        var hosts = Given.Hosts(2);
        var segment = Given.Allocated(Given.Segment(Transport.Gretap), hosts);
        var step = SegmentPlanner.PlanTeardown(segment, hosts).Value.Hosts[0].Steps.Single(s => s.Id == "link:sbg-lan-0");
        Assert.Equal(["sh", "-c", "! \"$@\"", "sh", "test", "-e", "/sys/class/net/sbg-lan-0"], step.Check!.Words());
    }

    [Fact]
    public void Partially_applied_segment_plans_only_the_missing_steps()
    {
        var (segment, hosts, fakes) = Setup(Transport.Vxlan, false);
        var plan = SegmentPlanner.Plan(segment, hosts, FakeExecutor.Observe(fakes)).Value;
        var h3 = plan.Hosts.Single(h => h.Host == "h3");
        foreach (var step in h3.Steps.Take(5)) fakes["h3"].Run(step.Do);

        var again = SegmentPlanner.Plan(segment, hosts, FakeExecutor.Observe(fakes)).Value;
        Assert.Equal(h3.Steps.Skip(5).Select(s => s.Id), again.Hosts.Single(h => h.Host == "h3").Steps.Select(s => s.Id));
        Assert.Equal(plan.Hosts.Single(h => h.Host == "h1").Steps.Length, again.Hosts.Single(h => h.Host == "h1").Steps.Length);
    }

    [Fact]
    public void Adding_a_host_plans_only_what_is_new_and_keeps_existing_ids()
    {
        var hosts = Given.Hosts(4);
        var fakes = Enumerable.Range(1, 4).ToDictionary(n => $"h{n}", n => new FakeHost($"h{n}"));
        var first = SegmentAllocator.Allocate(Given.Segment(Transport.L2tpv3Udp, 3), hosts, [], FakeExecutor.Observe(fakes)).Value;
        FakeExecutor.Apply(SegmentPlanner.Plan(first, hosts, FakeExecutor.Observe(fakes)).Value, fakes);

        var grown = first.Spec with { Members = [.. first.Spec.Members, "h4"], Links = [.. first.Spec.Links, Given.Link("h3", "h4")] };
        var second = SegmentAllocator.Allocate(grown, hosts, [first], FakeExecutor.Observe(fakes)).Value;
        Assert.Equal(first.Allocation.Links.ToArray(), second.Allocation.Links.Take(2).ToArray());

        var plan = SegmentPlanner.PlanChange(first, second, hosts, FakeExecutor.Observe(fakes)).Value;
        Assert.Empty(plan.Hosts.Single(h => h.Host == "h1").Steps);
        Assert.Empty(plan.Hosts.Single(h => h.Host == "h2").Steps);
        Assert.All(plan.Hosts.SelectMany(h => h.Steps), s => Assert.DoesNotContain("Undo", s.Description));
        Assert.Contains(plan.Hosts.Single(h => h.Host == "h3").Steps, s => s.Id == "l2tp-session:sbl-lan-1");
        FakeExecutor.Apply(plan, fakes);
        Assert.Equal(0, SegmentPlanner.Plan(second, hosts, FakeExecutor.Observe(fakes)).Value.StepCount);
    }

    [Fact]
    public void Removing_a_host_tears_down_its_link_on_both_ends()
    {
        var hosts = Given.Hosts(3);
        var fakes = Enumerable.Range(1, 3).ToDictionary(n => $"h{n}", n => new FakeHost($"h{n}"));
        var full = SegmentAllocator.Allocate(Given.Segment(Transport.Gretap, 3), hosts, [], FakeExecutor.Observe(fakes)).Value;
        var h3Before = fakes["h3"].Snapshot();
        FakeExecutor.Apply(SegmentPlanner.Plan(full, hosts, FakeExecutor.Observe(fakes)).Value, fakes);

        var smaller = SegmentAllocator.Allocate(Given.Segment(Transport.Gretap, 2), hosts, [full], FakeExecutor.Observe(fakes)).Value;
        FakeExecutor.Apply(SegmentPlanner.PlanChange(full, smaller, hosts, FakeExecutor.Observe(fakes)).Value, fakes);

        Assert.Equal(h3Before, fakes["h3"].Snapshot());
        Assert.DoesNotContain(fakes["h2"].Observe().Links, l => l.Name == "sbg-lan-1");
        Assert.Equal(0, SegmentPlanner.Plan(smaller, hosts, FakeExecutor.Observe(fakes)).Value.StepCount);
    }

    [Fact]
    public void Moving_the_router_on_live_hosts_moves_dnsmasq_nat_and_forwarding()
    {
        var hosts = Given.Hosts(2);
        var fakes = new Dictionary<string, FakeHost> { ["h1"] = new("h1"), ["h2"] = new("h2") };
        var before = SegmentAllocator.Allocate(Given.Segment(Transport.Vxlan), hosts, [], FakeExecutor.Observe(fakes)).Value;
        var h1Clean = fakes["h1"].Snapshot();
        FakeExecutor.Apply(SegmentPlanner.Plan(before, hosts, FakeExecutor.Observe(fakes)).Value, fakes);

        var after = SegmentAllocator.Allocate(before.Spec with { Router = Given.Router("h2") }, hosts, [before], FakeExecutor.Observe(fakes)).Value;
        FakeExecutor.Apply(SegmentPlanner.PlanChange(before, after, hosts, FakeExecutor.Observe(fakes)).Value, fakes);

        var h1 = fakes["h1"].Observe();
        var h2 = fakes["h2"].Observe();
        Assert.Empty(h1.Dnsmasq);
        Assert.Empty(h1.NatRules);
        Assert.Equal("0", h1.Ipv4Forward);
        Assert.Single(h2.Dnsmasq);
        Assert.Equal(["-N SB-superbr0", "-A SB-superbr0 -s 10.0.2.0/24 ! -d 10.0.2.0/24 -j MASQUERADE", "-A POSTROUTING -s 10.0.2.0/24 -j SB-superbr0"],
            h2.NatRules.ToArray());
        Assert.Equal("1", h2.Ipv4Forward);
        Assert.Equal(0, SegmentPlanner.Plan(after, hosts, FakeExecutor.Observe(fakes)).Value.StepCount);

        FakeExecutor.Apply(SegmentPlanner.PlanTeardown(after, hosts, FakeExecutor.Observe(fakes)).Value, fakes);
        Assert.Equal(h1Clean, fakes["h1"].Snapshot());
    }
}

public class ChangeTests
{
    [Fact]
    public void An_unchanged_segment_plans_no_change()
    {
        var hosts = Given.Hosts(3);
        var segment = Given.Allocated(Given.Segment(Transport.Gretap, 3), hosts);
        Assert.Equal(0, SegmentPlanner.PlanChange(segment, segment, hosts).Value.StepCount);
    }

    [Fact]
    public void A_change_cannot_rename_a_segment()
    {
        var hosts = Given.Hosts(2);
        var a = Given.Allocated(Given.Segment(Transport.Gretap), hosts);
        var b = Given.Allocated(Given.Segment(Transport.Gretap, 2, "other"), hosts);
        Assert.Contains(SegmentPlanner.PlanChange(a, b, hosts).Errors, e => e.Path == "name");
    }

    [Fact]
    public void A_changed_mtu_is_reapplied_and_dnsmasq_restarted_without_recreating_devices()
    {
        var hosts = Given.Hosts(2);
        var before = Given.Allocated(Given.Segment(Transport.Vxlan), hosts);
        var after = Given.Allocated(before.Spec with { Mtu = 1400 }, hosts, [before]);
        var steps = SegmentPlanner.PlanChange(before, after, hosts).Value.Hosts.SelectMany(h => h.Steps).ToList();
        Assert.Equal(["dnsmasq:superbr0", "mtu:superbr0", "mtu:sbx-lan-0", "dnsmasq:superbr0", "mtu:superbr0", "mtu:sbx-lan-0"], steps.Select(s => s.Id));
        Assert.StartsWith("Undo: ", steps[0].Description); // the old dnsmasq still advertises the old MTU
        Assert.Contains("--dhcp-option=option:mtu,1400", steps[3].Do.Words());
    }

    [Fact]
    public void Detaching_needs_observed_state()
    {
        var hosts = Given.Hosts(2);
        var observed = Given.ObservedAll(2);
        observed["h2"] = Given.Observed("h2", Given.Container("web"));
        var segment = Given.Allocated(Given.Segment(Transport.Gretap) with { Attachments = [new AttachmentSpec("h2", "web")] }, hosts, observed: observed);
        Assert.Equal("attachments[0].host", Assert.Single(SegmentPlanner.PlanTeardown(segment, hosts).Errors).Path);
        Assert.True(SegmentPlanner.PlanTeardown(segment, hosts, observed).IsOk);
    }
}

public class PreexistingTests
{
    [Fact]
    public void Teardown_leaves_what_the_operator_had_before_the_segment()
    {
        var hosts = Given.Hosts(2);
        var fakes = new Dictionary<string, FakeHost> { ["h1"] = new("h1"), ["h2"] = new("h2") };
        // h1 already has the operator's superbr0 (up) and the guide's MASQUERADE rule for the subnet in POSTROUTING: the
        // segment's own rule goes in its own chain, and the operator's is never matched, moved or deleted.
        fakes["h1"].Run(Superbridge.Core.Commands.LinuxCommands.BridgeAdd("superbr0"));
        fakes["h1"].Run(Superbridge.Core.Commands.LinuxCommands.SetUp("superbr0"));
        fakes["h1"].Run(Superbridge.Core.Commands.Command.Of("iptables", "-t", "nat", "-A", "POSTROUTING", "-s", "10.0.2.0/24", "!", "-d", "10.0.2.0/24", "-j", "MASQUERADE"));

        var segment = SegmentAllocator.Allocate(Given.Segment(Transport.Gretap), hosts, [], FakeExecutor.Observe(fakes)).Value;
        Assert.Equal(["bridge:superbr0", "up:superbr0"],
            segment.Allocation.Preexisting.Where(p => p.Host == "h1").Select(p => p.StepId));
        Assert.DoesNotContain(segment.Allocation.Preexisting, p => p.Host == "h2");

        FakeExecutor.Apply(SegmentPlanner.Plan(segment, hosts, FakeExecutor.Observe(fakes)).Value, fakes);
        // Re-allocating an applied segment keeps the record and adds nothing of its own.
        Assert.Equal(segment.Allocation.Preexisting.ToArray(),
            SegmentAllocator.Allocate(segment.Spec, hosts, [segment], FakeExecutor.Observe(fakes)).Value.Allocation.Preexisting.ToArray());

        FakeExecutor.Apply(SegmentPlanner.PlanTeardown(segment, hosts, FakeExecutor.Observe(fakes)).Value, fakes);
        var h1 = fakes["h1"].Observe();
        var bridge = Assert.Single(h1.Links, l => l.Name == "superbr0");
        Assert.True(bridge.IsUp);
        Assert.Equal(["-A POSTROUTING -s 10.0.2.0/24 ! -d 10.0.2.0/24 -j MASQUERADE"], h1.NatRules.ToArray());
        Assert.DoesNotContain(h1.Links, l => l.Name.StartsWith("sbg-"));
        Assert.Empty(h1.Addresses);
        Assert.Empty(h1.Dnsmasq);
        Assert.DoesNotContain(fakes["h2"].Observe().Links, l => l.Name == "superbr0");
    }
}
