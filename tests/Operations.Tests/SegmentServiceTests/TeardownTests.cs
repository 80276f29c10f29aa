using Superbridge.Core.Model;
using Superbridge.Core.Planning;
using Superbridge.Operations.Tests.Support;

namespace Superbridge.Operations.Tests.SegmentServiceTests;

/// <summary>A teardown removes what was applied (or attempted), keeps what other segments still need, then forgets the segment.</summary>
public sealed class TeardownTests
{
    private static IEnumerable<PlanStep> Steps(SegmentPlan plan, string host) => plan.Hosts.Where(x => x.Host == host).SelectMany(x => x.Steps);

    private static bool TurnsForwardingOff(PlanStep step) => step.Do.Argv.Contains("net.ipv4.ip_forward=0");

    [Fact]
    public async Task Teardown_of_a_never_applied_segment_deletes_it_without_running_anything()
    {
        await using var h = new ServiceHarness();
        await h.CreateAsync(ServiceHarness.Spec("lan", Transport.Gretap, "h1", "h2"));

        var ended = await h.TeardownAsync("lan");

        Assert.Equal(OperationStatus.Succeeded, ended.Status);
        Assert.Equal(SegmentOperationKind.Teardown, ended.Kind);
        Assert.Equal(ServiceHarness.User, ended.User);
        Assert.Equal([OperationStatus.Queued, OperationStatus.Running, OperationStatus.Succeeded], h.HistoryOf(ended.Id).Distinct());
        Assert.Empty(h.Executor.Calls);
        Assert.Empty(h.Observer.CallsFor(ended.Id));
        Assert.Null(await h.Service.FindAsync("lan"));
        Assert.Equal(0, ended.Result!.Plan!.StepCount);
        Assert.Single(await h.Service.ListOperationsAsync("lan"));
    }

    [Fact]
    public async Task Teardown_of_an_applied_segment_removes_it_from_the_hosts_and_forgets_it()
    {
        await using var h = new ServiceHarness();
        var before = h.Observer["h1"].Snapshot();
        await h.CreateAsync(ServiceHarness.Spec("lan", Transport.Gretap, "h1", "h2") with { Router = ServiceHarness.Router("h1", 2) });
        var applied = await h.ApplyAsync("lan");
        Assert.Equal(OperationStatus.Succeeded, applied.Status);
        var preview = await h.Service.PreviewAsync("lan", SegmentOperationKind.Teardown, ServiceHarness.User);

        var ended = await h.TeardownAsync("lan", preview.Value!.Fingerprint);

        Assert.Equal(OperationStatus.Succeeded, ended.Status);
        Assert.Equal(preview.Value.Fingerprint, ended.PlanFingerprint);
        Assert.True(ended.Result!.Drift.IsEmpty, string.Join("; ", ended.Result.Drift));
        Assert.True(SegmentRecord.Same(applied.Target!, ended.Target!));
        Assert.Equal(before, h.Observer["h1"].Snapshot());
        Assert.Null(await h.Service.FindAsync("lan"));
        Assert.Equal(2, h.Observer.CallsFor(ended.Id).Count);
    }

    [Fact]
    public async Task A_rolled_back_teardown_keeps_the_segment_applied()
    {
        await using var h = new ServiceHarness();
        await h.CreateAsync(ServiceHarness.Spec("lan", Transport.Vxlan, "h1", "h2"));
        await h.ApplyAsync("lan");
        var applied = (await h.RecordAsync("lan")).Applied!;
        var preview = await h.Service.PreviewAsync("lan", SegmentOperationKind.Teardown, ServiceHarness.User);
        h.Executor.FailAtStep = preview.Value!.Plan.Hosts[0].Steps[1].Id; // after the first step was done

        var ended = await h.TeardownAsync("lan");

        Assert.Equal(OperationStatus.RolledBack, ended.Status);
        Assert.Contains(ended.Result!.Undone, u => u.Outcome == UndoOutcome.Succeeded);
        var record = await h.RecordAsync("lan");
        Assert.True(SegmentRecord.Same(applied, record.Applied!));
    }

    [Fact]
    public async Task Tearing_down_one_of_two_segments_routed_by_a_host_keeps_forwarding_on_and_the_last_restores_it()
    {
        await using var h = new ServiceHarness();
        Assert.Equal("0", h.Observer["h1"].Ipv4Forward);
        await h.CreateAsync(ServiceHarness.Spec("lan", Transport.Gretap, "h1", "h2") with { Router = ServiceHarness.Router("h1", 2) });
        Assert.Equal(OperationStatus.Succeeded, (await h.ApplyAsync("lan")).Status);
        Assert.Equal("1", h.Observer["h1"].Ipv4Forward);
        var dmz = await h.CreateAsync(ServiceHarness.Spec("dmz", Transport.Vxlan, "h1", "h3") with { Router = ServiceHarness.Router("h1", 9) });
        Assert.Equal("0", dmz.Desired.Allocation.Router!.PreviousIpv4Forward); // from before Superbridge, not lan's "1"
        Assert.Equal(OperationStatus.Succeeded, (await h.ApplyAsync("dmz")).Status);

        var first = await h.TeardownAsync("lan");

        Assert.Equal(OperationStatus.Succeeded, first.Status);
        Assert.True(first.Result!.Drift.IsEmpty, string.Join("; ", first.Result.Drift));
        var firstPlan = first.Plan!;
        Assert.True(Steps(firstPlan, "h1").Any(), "lan's pieces on h1 are removed");
        Assert.DoesNotContain(firstPlan.Hosts.SelectMany(x => x.Steps), TurnsForwardingOff);
        Assert.DoesNotContain(Steps(firstPlan, "h1"), s => s.Id == "sysctl:ip_forward");
        Assert.Equal("1", h.Observer["h1"].Ipv4Forward);

        var last = await h.TeardownAsync("dmz");

        Assert.Equal(OperationStatus.Succeeded, last.Status);
        var restore = Assert.Single(Steps(last.Plan!, "h1"), s => s.Id == "sysctl:ip_forward");
        Assert.Equal(["sysctl", "-w", "net.ipv4.ip_forward=0"], restore.Do.Argv.ToArray());
        Assert.Equal("0", h.Observer["h1"].Ipv4Forward);
        Assert.Empty(await h.Service.ListAsync());
    }

    [Fact]
    public async Task Two_teardowns_of_segments_routed_by_one_host_started_together_still_restore_forwarding()
    {
        await using var h = new ServiceHarness();
        await h.CreateAsync(ServiceHarness.Spec("lan", Transport.Gretap, "h1", "h2") with { Router = ServiceHarness.Router("h1", 2) });
        await h.ApplyAsync("lan");
        await h.CreateAsync(ServiceHarness.Spec("dmz", Transport.Vxlan, "h1", "h3") with { Router = ServiceHarness.Router("h1", 9) });
        await h.ApplyAsync("dmz");
        h.Executor.Block = true;

        var lan = await h.StartAsync("lan", teardown: true);
        var first = await h.Executor.NextStartedAsync();
        var dmz = await h.StartAsync("dmz", teardown: true);
        // dmz waits for h1 while lan's teardown holds it; it must plan against the segments as they are once it has h1.
        Assert.Equal(OperationStatus.Queued, (await h.Service.WaitPlannedAsync(dmz.Id, TimeSpan.FromMilliseconds(300)))!.Status);
        first.Release();
        var second = await h.Executor.NextStartedAsync();
        second.Release();
        await h.Service.DrainAsync().WaitAsync(ServiceHarness.Timeout);

        Assert.Equal(OperationStatus.Succeeded, (await h.EndedAsync(lan.Id)).Status);
        Assert.Equal(OperationStatus.Succeeded, (await h.EndedAsync(dmz.Id)).Status);
        Assert.DoesNotContain(first.Plan.Hosts.SelectMany(x => x.Steps), TurnsForwardingOff);
        Assert.Contains(Steps(second.Plan, "h1"), TurnsForwardingOff);
        Assert.Equal("0", h.Observer["h1"].Ipv4Forward);
        Assert.Empty(await h.Service.ListAsync());
    }

    [Fact]
    public async Task A_teardown_queued_behind_a_teardown_of_the_same_segment_is_refused_once_the_segment_is_gone()
    {
        await using var h = new ServiceHarness();
        await h.CreateAsync(ServiceHarness.Spec("lan", Transport.Gretap, "h1", "h2"));
        await h.ApplyAsync("lan");
        h.Executor.Block = true;
        var first = await h.StartAsync("lan", teardown: true);
        var run = await h.Executor.NextStartedAsync();
        var second = await h.StartAsync("lan", teardown: true);

        run.Release();
        var ended = await h.EndedAsync(second.Id);

        Assert.Equal(OperationStatus.Succeeded, (await h.EndedAsync(first.Id)).Status);
        Assert.Equal(OperationStatus.Refused, ended.Status);
        Assert.Contains("no longer exists", ended.Error);
        Assert.Equal(2, h.Executor.Calls.Count); // the apply, then the first teardown
    }

    [Fact]
    public async Task Forwarding_that_was_on_before_is_left_on_by_the_last_teardown()
    {
        await using var h = new ServiceHarness();
        h.Observer["h1"].SetIpv4Forward("1");
        await h.CreateAsync(ServiceHarness.Spec("lan", Transport.Gretap, "h1", "h2") with { Router = ServiceHarness.Router("h1", 2) });
        await h.ApplyAsync("lan");

        var ended = await h.TeardownAsync("lan");

        Assert.Equal(OperationStatus.Succeeded, ended.Status);
        Assert.DoesNotContain(ended.Plan!.Hosts.SelectMany(x => x.Steps), TurnsForwardingOff);
        Assert.Equal("1", h.Observer["h1"].Ipv4Forward);
    }
}
