using Superbridge.Core.Model;
using Superbridge.Operations.Tests.Support;

namespace Superbridge.Operations.Tests.SegmentServiceTests;

/// <summary>An apply is stored before it runs, runs the plan it records, verifies and marks the segment.</summary>
public sealed class ApplyTests
{
    private static SegmentSpec Lan => ServiceHarness.Spec("lan", Transport.Gretap, "h1", "h2", "h3") with { Router = ServiceHarness.Router("h1", 2) };

    [Fact]
    public async Task Apply_is_stored_queued_before_anything_runs_then_running_then_succeeded()
    {
        await using var h = new ServiceHarness();
        await h.CreateAsync(Lan);
        h.Executor.Block = true;

        var queued = await h.StartAsync("lan");

        Assert.Equal(OperationStatus.Queued, queued.Status);
        Assert.Equal(SegmentOperationKind.Apply, queued.Kind);
        Assert.Equal(ServiceHarness.User, queued.User);
        Assert.Equal(OperationStatus.Queued, h.HistoryOf(queued.Id)[0]);
        var run = await h.Executor.NextStartedAsync();
        Assert.Equal(OperationStatus.Running, (await h.Service.FindOperationAsync(queued.Id))!.Status);
        run.Release();
        var ended = await h.EndedAsync(queued.Id);

        Assert.Equal(OperationStatus.Succeeded, ended.Status);
        Assert.Null(ended.Error);
        var statuses = h.HistoryOf(queued.Id).Distinct().ToArray();
        Assert.Equal([OperationStatus.Queued, OperationStatus.Running, OperationStatus.Succeeded], statuses);
        Assert.NotNull(ended.StartedAt);
        Assert.NotNull(ended.EndedAt);
    }

    [Fact]
    public async Task Apply_marks_the_segment_applied_as_planned_and_clears_the_attempt()
    {
        await using var h = new ServiceHarness();
        var created = await h.CreateAsync(Lan);

        var ended = await h.ApplyAsync("lan");

        Assert.Equal(OperationStatus.Succeeded, ended.Status);
        var record = await h.RecordAsync("lan");
        Assert.NotNull(record.Applied);
        Assert.True(SegmentRecord.Same(ended.Target!, record.Applied));
        Assert.True(SegmentRecord.Same(created.Desired, record.Applied));
        Assert.Null(record.Attempted);
        Assert.False(record.HasUnappliedChanges);
        Assert.True(ended.Result!.Drift.IsEmpty, string.Join("; ", ended.Result.Drift)); // the fake hosts now have it
    }

    [Fact]
    public async Task The_executor_gets_exactly_the_plan_recorded_in_the_journal()
    {
        await using var h = new ServiceHarness();
        await h.CreateAsync(Lan);

        var ended = await h.ApplyAsync("lan");

        var run = Assert.Single(h.Executor.Calls);
        Assert.Same(ended.Plan, run.Plan);
        Assert.Equal(PlanFingerprint.Of(run.Plan), ended.PlanFingerprint);
        Assert.Same(ended.Plan, ended.Result!.Plan);
        Assert.True(run.Plan.StepCount > 0);
        Assert.True(run.LeaseHeld, "the executor must be given the locks of every host of the plan");
        Assert.Equal(["h1", "h2", "h3"], run.LeaseHosts.Select(x => x.Value));
        Assert.Equal(new OperationContext(ended.Id, ServiceHarness.User), run.Context);
    }

    [Fact]
    public async Task Each_host_is_observed_once_to_plan_and_once_to_verify_with_the_operations_id_and_user()
    {
        await using var h = new ServiceHarness();
        await h.CreateAsync(Lan);
        var before = h.Observer.Calls.Count;

        var ended = await h.ApplyAsync("lan");

        var calls = h.Observer.Calls.Skip(before).ToList();
        Assert.Equal(2, calls.Count);
        Assert.All(calls, c => Assert.Equal(new OperationContext(ended.Id, ServiceHarness.User), c.Context));
        Assert.All(calls, c => Assert.Equal(["h1", "h2", "h3"], c.Hosts.Select(x => x.Value).Order()));
        Assert.Equal(2, h.Observer.CallsFor(ended.Id).Count);
    }

    [Fact]
    public async Task Applying_again_after_success_runs_an_empty_plan_and_still_succeeds()
    {
        await using var h = new ServiceHarness();
        await h.CreateAsync(Lan);
        await h.ApplyAsync("lan");

        var again = await h.ApplyAsync("lan");

        Assert.Equal(OperationStatus.Succeeded, again.Status);
        Assert.Equal(SegmentOperationKind.Apply, again.Kind);
        Assert.Equal(0, again.Plan!.StepCount);
    }

    [Fact]
    public async Task Applying_again_with_nothing_to_do_reads_each_host_once_and_verifies_with_that()
    {
        await using var h = new ServiceHarness();
        await h.CreateAsync(Lan);
        await h.ApplyAsync("lan");

        var again = await h.ApplyAsync("lan");

        Assert.Equal(0, again.Plan!.StepCount);
        var call = Assert.Single(h.Observer.CallsFor(again.Id)); // nothing ran, so what was read to plan still stands
        Assert.Equal(["h1", "h2", "h3"], call.Hosts.Select(x => x.Value).Order());
        Assert.True(again.Result!.Drift.IsEmpty, string.Join("; ", again.Result.Drift));
    }

    [Fact]
    public async Task A_repair_reads_again_only_the_hosts_that_ran_steps_and_verifies_all()
    {
        await using var h = new ServiceHarness();
        await h.CreateAsync(Lan);
        await h.ApplyAsync("lan");
        h.Observer[new HostId("h3")].Run(Superbridge.Core.Commands.LinuxCommands.SetDown("br-lan"));

        var repair = await h.ApplyAsync("lan");

        Assert.Equal(OperationStatus.Succeeded, repair.Status);
        Assert.Equal(["h3"], repair.Plan!.Hosts.Where(p => !p.Steps.IsEmpty).Select(p => p.Host.Value));
        var calls = h.Observer.CallsFor(repair.Id);
        Assert.Equal(2, calls.Count);
        Assert.Equal(["h3"], calls[1].Hosts.Select(x => x.Value));
        Assert.True(repair.Result!.Drift.IsEmpty, string.Join("; ", repair.Result.Drift));
    }

    [Fact]
    public async Task A_changed_segment_is_applied_as_a_change_from_the_applied_version()
    {
        await using var h = new ServiceHarness();
        await h.CreateAsync(Lan);
        await h.ApplyAsync("lan");
        var moved = await h.Service.SetRouterAsync("lan", ServiceHarness.Router("h2", 2), ServiceHarness.User);
        Assert.True(moved.IsOk, string.Join("; ", moved.Errors));

        var change = await h.ApplyAsync("lan");

        Assert.Equal(SegmentOperationKind.Change, change.Kind);
        Assert.Equal(OperationStatus.Succeeded, change.Status);
        Assert.Equal((HostId)"h2", (await h.RecordAsync("lan")).Applied!.Spec.Router!.Host);
        var steps = change.Plan!.Hosts.ToDictionary(x => x.Host.Value, x => x.Steps.Select(s => s.Id).ToArray());
        Assert.Contains("dnsmasq:br-lan", steps["h1"]); // stopped on the old router host
        Assert.Contains("dnsmasq:br-lan", steps["h2"]); // started on the new one
        Assert.Empty(steps["h3"]);
    }

    [Fact]
    public async Task Preview_fingerprint_is_the_one_the_following_apply_records_and_runs()
    {
        await using var h = new ServiceHarness();
        await h.CreateAsync(Lan);

        var preview = await h.Service.PreviewAsync("lan", SegmentOperationKind.Apply, ServiceHarness.User);
        Assert.True(preview.IsOk, string.Join("; ", preview.Errors));
        var ended = await h.ApplyAsync("lan", preview.Value!.Fingerprint);

        Assert.Equal(OperationStatus.Succeeded, ended.Status);
        Assert.Equal(preview.Value.Fingerprint, ended.PlanFingerprint);
        Assert.Equal(preview.Value.Fingerprint, PlanFingerprint.Of(Assert.Single(h.Executor.Calls).Plan));
    }

    [Fact]
    public async Task Preview_observes_as_the_user_outside_any_operation_and_runs_nothing()
    {
        await using var h = new ServiceHarness();
        await h.CreateAsync(Lan);
        var before = h.Observer.Calls.Count;

        var preview = await h.Service.PreviewAsync("lan", SegmentOperationKind.Apply, ServiceHarness.User);

        Assert.True(preview.Value!.Plan.StepCount > 0);
        var call = Assert.Single(h.Observer.Calls.Skip(before));
        Assert.Equal(OperationContext.Outside(ServiceHarness.User), call.Context);
        Assert.Empty(h.Executor.Calls);
        Assert.Empty(h.Journal.History);
    }

    [Fact]
    public async Task Applying_with_a_stale_fingerprint_is_refused_with_the_new_plan_and_nothing_runs()
    {
        await using var h = new ServiceHarness();
        await h.CreateAsync(Lan);
        var preview = await h.Service.PreviewAsync("lan", SegmentOperationKind.Apply, ServiceHarness.User);
        h.Observer["h1"].SetIpv4Forward("1"); // someone turned forwarding on: the sysctl step drops out of the plan
        var now = await h.Service.PreviewAsync("lan", SegmentOperationKind.Apply, ServiceHarness.User);
        Assert.NotEqual(preview.Value!.Fingerprint, now.Value!.Fingerprint);

        var ended = await h.ApplyAsync("lan", preview.Value.Fingerprint);

        Assert.Equal(OperationStatus.Refused, ended.Status);
        Assert.True(ended.Result!.PlanChanged);
        Assert.Equal(now.Value.Fingerprint, PlanFingerprint.Of(ended.Result.Plan!));
        Assert.Equal(now.Value.Fingerprint, ended.PlanFingerprint);
        Assert.DoesNotContain(ended.Result.Plan!.Hosts.SelectMany(x => x.Steps), s => s.Id == "sysctl:ip_forward");
        Assert.Contains(preview.Value.Fingerprint, ended.Error);
        Assert.Empty(h.Executor.Calls);
        var record = await h.RecordAsync("lan");
        Assert.Null(record.Applied);
        Assert.Null(record.Attempted);
    }

    [Fact]
    public async Task A_rolled_back_first_apply_leaves_the_segment_unapplied_and_clears_the_attempt()
    {
        await using var h = new ServiceHarness();
        await h.CreateAsync(Lan);
        var before = h.Observer["h1"].Snapshot();
        h.Executor.FailAtStep = "dnsmasq:br-lan"; // on h1, the router, after its bridge and tunnels

        var ended = await h.ApplyAsync("lan");

        Assert.Equal(OperationStatus.RolledBack, ended.Status);
        Assert.Equal(ApplyStatus.RolledBack, ended.Result!.Status);
        Assert.Equal("dnsmasq:br-lan", ended.Result.Error!.StepId);
        Assert.Contains("rolled back", ended.Error);
        var record = await h.RecordAsync("lan");
        Assert.Null(record.Applied);
        Assert.Null(record.Attempted);
        Assert.Contains(ended.Result.Undone, u => u.Outcome == UndoOutcome.Succeeded);
        Assert.Equal(before, h.Observer["h1"].Snapshot());
        Assert.Null(OperationPlanner.Teardown(record)); // nothing to remove
    }

    [Fact]
    public async Task A_rolled_back_change_keeps_the_previous_applied_version()
    {
        await using var h = new ServiceHarness();
        await h.CreateAsync(Lan);
        await h.ApplyAsync("lan");
        var applied = (await h.RecordAsync("lan")).Applied!;
        Assert.True((await h.Service.SetRouterAsync("lan", ServiceHarness.Router("h3", 2), ServiceHarness.User)).IsOk);
        h.Executor.FailAtStep = "dnsmasq:br-lan";

        var ended = await h.ApplyAsync("lan");

        Assert.Equal(SegmentOperationKind.Change, ended.Kind);
        Assert.Equal(OperationStatus.RolledBack, ended.Status);
        var record = await h.RecordAsync("lan");
        Assert.True(SegmentRecord.Same(applied, record.Applied!));
        Assert.Null(record.Attempted);
        Assert.True(record.HasUnappliedChanges);
    }

    [Fact]
    public async Task A_failed_undo_keeps_the_attempt_so_teardown_plans_its_removal()
    {
        await using var h = new ServiceHarness();
        await h.CreateAsync(Lan);
        h.Executor.FailAtStep = "dnsmasq:br-lan";
        h.Executor.UndoFails = true;

        var ended = await h.ApplyAsync("lan");

        Assert.Equal(OperationStatus.Failed, ended.Status);
        Assert.Equal(ApplyStatus.Failed, ended.Result!.Status);
        Assert.Contains(ended.Result.Undone, u => u.Outcome == UndoOutcome.Failed);
        var record = await h.RecordAsync("lan");
        Assert.Null(record.Applied);
        Assert.NotNull(record.Attempted);
        Assert.True(SegmentRecord.Same(ended.Target!, record.Attempted));
        var teardown = OperationPlanner.Teardown(record);
        Assert.NotNull(teardown);
        Assert.Equal(SegmentOperationKind.Teardown, teardown.Kind);
        Assert.True(SegmentRecord.Same(record.Attempted, teardown.Segment));
    }

    [Fact]
    public async Task What_the_fresh_observation_still_misses_after_a_run_is_reported_as_drift()
    {
        await using var h = new ServiceHarness();
        await h.CreateAsync(Lan);
        h.Executor.AfterSuccess = () => h.Observer["h1"].SetIpv4Forward("0"); // something undid it right after the run

        var ended = await h.ApplyAsync("lan");

        Assert.Equal(OperationStatus.Succeeded, ended.Status);
        var drift = Assert.Single(ended.Result!.Drift);
        Assert.StartsWith("h1: still to do: Enable IPv4 forwarding", drift);
        Assert.Contains("still differ", ended.Error);
        Assert.NotNull((await h.RecordAsync("lan")).Applied);
    }

    [Fact]
    public async Task An_executor_that_throws_ends_the_operation_failed_keeps_the_attempt_and_releases_the_hosts()
    {
        await using var h = new ServiceHarness();
        await h.CreateAsync(Lan);
        h.Executor.Throw = new InvalidOperationException("connection pool exhausted");

        var ended = await h.ApplyAsync("lan");

        Assert.Equal(OperationStatus.Failed, ended.Status);
        Assert.Contains("connection pool exhausted", ended.Error);
        var record = await h.RecordAsync("lan");
        Assert.Null(record.Applied);
        Assert.NotNull(record.Attempted); // whatever ran may be on the hosts: teardown must cover it
        Assert.False(h.Service.IsBusy("h1"));
        var events = new List<ApplyEvent>();
        await foreach (var e in h.Service.EventsAsync(ended.Id)) events.Add(e);
        Assert.IsType<PlanReady>(events[0]);
        Assert.IsType<OperationCompleted>(events[^1]); // "the last event of every operation is OperationCompleted"
    }

    [Fact]
    public async Task Teardown_of_a_never_applied_but_attempted_segment_removes_what_the_attempt_left()
    {
        await using var h = new ServiceHarness();
        var before = h.Observer["h1"].Snapshot();
        await h.CreateAsync(Lan);
        h.Executor.FailAtStep = "dnsmasq:br-lan";
        h.Executor.UndoFails = true;
        var failed = await h.ApplyAsync("lan");
        Assert.Equal(OperationStatus.Failed, failed.Status);
        Assert.NotEqual(before, h.Observer["h1"].Snapshot()); // the undos did not run: pieces are left on h1
        h.Executor.FailAtStep = null;
        h.Executor.UndoFails = false;

        var teardown = await h.TeardownAsync("lan");

        Assert.Equal(SegmentOperationKind.Teardown, teardown.Kind);
        Assert.Equal(OperationStatus.Succeeded, teardown.Status);
        Assert.True(SegmentRecord.Same(failed.Target!, teardown.Target!));
        var plan = h.Executor.Calls.Last().Plan;
        Assert.True(plan.StepCount > 0);
        Assert.All(plan.Hosts.SelectMany(x => x.Steps), s => Assert.StartsWith("Undo: ", s.Description));
        Assert.Contains(plan.Hosts.Single(x => x.Host == "h1").Steps, s => s.Id == "link:br-lan" || s.Do.Argv.Contains("br-lan"));
        Assert.Equal(before, h.Observer["h1"].Snapshot());
        Assert.Null(await h.Service.FindAsync("lan"));
    }
}
