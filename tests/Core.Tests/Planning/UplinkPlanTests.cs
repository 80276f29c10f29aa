using Superbridge.Core.Allocation;
using Superbridge.Core.Model;
using Superbridge.Core.Observed;
using Superbridge.Core.Planning;
using Superbridge.Core.Tests.Support;

namespace Superbridge.Core.Tests.Planning;

/// <summary>Uplink NICs in the plan: their steps, their place, teardown, drift, the boot replay and changes.</summary>
public class UplinkPlanTests
{
    private static readonly Dictionary<HostId, HostInfo> Hosts = UplinkHost.Hosts();

    /// <summary>h1 before the segment, its spare NIC down (so both of its steps are planned).</summary>
    private static readonly Dictionary<HostId, ObservedHost> Before = UplinkHost.Observed(UplinkHost.BeforeSegment(down: "sbcap-spare"));

    private static readonly Dictionary<HostId, ObservedHost> AppliedSpare = UplinkHost.Observed(UplinkHost.Applied(UplinkHost.BeforeSegment(), "sbcap-spare"));

    private static Segment Allocated(SegmentSpec spec) => Given.Allocated(spec, Hosts, observed: Before);

    private static HostPlan H1(SegmentPlan plan) => plan.Hosts.Single(h => h.Host == "h1");

    [Fact]
    public void An_uplink_is_enslaved_to_the_bridge_then_brought_up_and_only_released_on_undo()
    {
        var steps = H1(SegmentPlanner.Plan(Allocated(UplinkHost.Segment(new UplinkSpec("h1", "sbcap-spare"))), Hosts, Before).Value).Steps;

        var master = steps.Single(s => s.Id == "master:sbcap-spare");
        Assert.Equal(["ip", "link", "set", "dev", "sbcap-spare", "master", "superbr0"], master.Do.Words());
        Assert.Equal(["ip", "link", "set", "dev", "sbcap-spare", "nomaster"], master.Undo!.Words());
        Assert.Equal("Add sbcap-spare to bridge superbr0", master.Description);
        var up = steps.Single(s => s.Id == "up:sbcap-spare");
        Assert.Equal(["ip", "link", "set", "dev", "sbcap-spare", "up"], up.Do.Words());
        Assert.Null(up.Undo); // the NIC is the host's: teardown leaves it up
        Assert.Equal(steps.ToList().IndexOf(master) + 1, steps.ToList().IndexOf(up));
    }

    [Fact]
    public void Uplink_steps_come_after_the_router_and_only_on_the_uplinks_host()
    {
        var plan = SegmentPlanner.Plan(Allocated(UplinkHost.Segment(new UplinkSpec("h1", "sbcap-spare"))), Hosts, Before).Value;
        var ids = H1(plan).Steps.Select(s => s.Id).ToList();
        Assert.True(ids.IndexOf("master:sbcap-spare") > ids.IndexOf("nat-jump:SB-superbr0"), string.Join(", ", ids));
        Assert.All(plan.Hosts.Where(h => h.Host != "h1"), h => Assert.DoesNotContain(h.Steps, s => s.Id.Contains("sbcap-spare")));
    }

    [Fact]
    public void The_external_router_interface_gets_exactly_the_uplink_steps()
    {
        var external = H1(SegmentPlanner.Plan(Allocated(UplinkHost.External("sbcap-spare")), Hosts, Before).Value).Steps;
        var uplink = H1(SegmentPlanner.Plan(Allocated(UplinkHost.Segment(new UplinkSpec("h1", "sbcap-spare")) with { Router = null }), Hosts, Before).Value).Steps;
        Assert.Equal(["master:sbcap-spare", "up:sbcap-spare"], external.Where(s => s.Id.EndsWith(":sbcap-spare")).Select(s => s.Id));
        Assert.Equal(uplink.Where(s => s.Id.EndsWith(":sbcap-spare")), external.Where(s => s.Id.EndsWith(":sbcap-spare")));
    }

    [Fact]
    public void Teardown_releases_the_nic_and_does_not_take_it_down()
    {
        var segment = Allocated(UplinkHost.Segment(new UplinkSpec("h1", "sbcap-spare")));
        var teardown = H1(SegmentPlanner.PlanTeardown(segment, Hosts, AppliedSpare).Value).Steps;

        var release = teardown.Single(s => s.Id == "master:sbcap-spare");
        Assert.Equal(["ip", "link", "set", "dev", "sbcap-spare", "nomaster"], release.Do.Words());
        Assert.DoesNotContain(teardown, s => s.Do.Words().SequenceEqual(["ip", "link", "set", "dev", "sbcap-spare", "down"]));
        Assert.True(teardown.ToList().IndexOf(release) < teardown.ToList().FindIndex(s => s.Id == "bridge:superbr0"));
    }

    [Fact]
    public void A_nic_already_in_the_operators_own_bridge_is_left_there_by_teardown()
    {
        // The capture's superbr0 with port sbcap-in existed before the segment: recorded as pre-existing, not ours to release.
        var segment = Given.Allocated(UplinkHost.Segment(new UplinkSpec("h1", "sbcap-in")), Hosts, observed: UplinkHost.Observed());
        Assert.Contains(new HostStep("h1", "master:sbcap-in"), segment.Allocation.Preexisting);
        Assert.DoesNotContain(H1(SegmentPlanner.PlanTeardown(segment, Hosts, UplinkHost.Observed()).Value).Steps, s => s.Id == "master:sbcap-in");
    }

    [Fact]
    public void A_teardown_needs_no_observed_state_to_release_an_uplink()
    {
        var segment = Allocated(UplinkHost.Segment(new UplinkSpec("h1", "sbcap-spare")));
        var teardown = H1(SegmentPlanner.PlanTeardown(segment, Hosts).Value).Steps;
        Assert.Contains(teardown, s => s.Id == "master:sbcap-spare" && s.Do.Words().SequenceEqual(["ip", "link", "set", "dev", "sbcap-spare", "nomaster"]));
    }

    [Fact]
    public void An_applied_uplink_plans_nothing_and_one_taken_out_of_the_bridge_is_drift()
    {
        var segment = Allocated(UplinkHost.Segment(new UplinkSpec("h1", "sbcap-spare")));
        var applied = H1(SegmentPlanner.Plan(segment, Hosts, AppliedSpare).Value).Steps;
        Assert.DoesNotContain(applied, s => s.Id is "master:sbcap-spare" or "up:sbcap-spare");

        var released = AppliedSpare["h1"] with { Links = [.. AppliedSpare["h1"].Links.Select(l => l.Name == "sbcap-spare" ? l with { Master = null } : l)] };
        var drift = SegmentPlanner.DetectDrift(segment, Hosts, UplinkHost.Observed(released)).Value;
        Assert.Contains(new Drift("h1", "sbcap-spare", DriftKind.Missing, "not a port of superbr0"), drift);
    }

    [Fact]
    public void The_boot_program_replays_the_uplink()
    {
        var h1 = UplinkHost.BeforeSegment() with { Boot = new BootState(Persistence.Systemd, "persistent", [], []) };
        var observed = UplinkHost.Observed(h1);
        var segment = Given.Allocated(UplinkHost.Segment(new UplinkSpec("h1", "sbcap-spare")), Hosts, observed: observed);
        var program = H1(SegmentPlanner.Plan(segment, Hosts, observed).Value).Steps.Single(s => s.Id == "boot-program:lan").Do.Argv[4];
        Assert.Contains("ip link set dev sbcap-spare master superbr0", program);
        Assert.Contains("ip link set dev sbcap-spare up", program);
    }

    [Fact]
    public void Adding_an_uplink_to_an_applied_segment_changes_only_that_nic()
    {
        var from = Allocated(UplinkHost.Segment());
        var to = Allocated(UplinkHost.Segment(new UplinkSpec("h1", "sbcap-spare")));
        var plan = SegmentPlanner.PlanChange(from, to, Hosts, Before).Value;
        Assert.Equal(["master:sbcap-spare", "up:sbcap-spare"], H1(plan).Steps.Select(s => s.Id));
        Assert.All(plan.Hosts.Where(h => h.Host != "h1"), h => Assert.Empty(h.Steps));
    }

    [Fact]
    public void Removing_an_uplink_releases_only_that_nic()
    {
        var from = Allocated(UplinkHost.Segment(new UplinkSpec("h1", "sbcap-spare")));
        var to = Allocated(UplinkHost.Segment());
        var steps = H1(SegmentPlanner.PlanChange(from, to, Hosts, AppliedSpare).Value).Steps;
        var release = Assert.Single(steps);
        Assert.Equal(["ip", "link", "set", "dev", "sbcap-spare", "nomaster"], release.Do.Words());
    }
}
