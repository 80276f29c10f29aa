using Superbridge.Core.Model;
using Superbridge.Operations.Tests.Support;

namespace Superbridge.Operations.Tests.SegmentServiceTests;

/// <summary>An operation's events: all of them from the start for a log opened at any time; readers never affect the run.</summary>
public sealed class EventTests
{
    private static async Task<List<ApplyEvent>> ReadAllAsync(IAsyncEnumerable<ApplyEvent> events)
    {
        var list = new List<ApplyEvent>();
        await foreach (var e in events) list.Add(e);
        return list;
    }

    [Fact]
    public async Task Events_opened_after_the_operation_finished_yield_everything_from_PlanReady_to_OperationCompleted()
    {
        await using var h = new ServiceHarness();
        await h.CreateAsync(ServiceHarness.Spec("lan", Transport.Gretap, "h1", "h2"));
        var ended = await h.ApplyAsync("lan");

        var events = await ReadAllAsync(h.Service.EventsAsync(ended.Id)).WaitAsync(ServiceHarness.Timeout);

        var ready = Assert.IsType<PlanReady>(events[0]);
        Assert.Same(ended.Plan, ready.Plan);
        Assert.IsType<Verified>(events[^2]);
        var completed = Assert.IsType<OperationCompleted>(events[^1]);
        Assert.Equal(ApplyStatus.Succeeded, completed.Result.Status);
        var executed = Assert.Single(h.Executor.Calls).Events.ToList();
        Assert.Equal(executed, events.Skip(1).Take(events.Count - 3));
        Assert.Equal(ended.Plan!.StepCount, events.OfType<StepSucceeded>().Count());
    }

    [Fact]
    public async Task A_live_reader_gets_the_events_so_far_then_the_rest_until_the_end()
    {
        await using var h = new ServiceHarness();
        await h.CreateAsync(ServiceHarness.Spec("lan", Transport.Vxlan, "h1", "h2"));
        h.Executor.Block = true;
        var op = await h.StartAsync("lan");
        var run = await h.Executor.NextStartedAsync();

        var reading = ReadAllAsync(h.Service.EventsAsync(op.Id));
        run.Release();
        var events = await reading.WaitAsync(ServiceHarness.Timeout);

        Assert.IsType<PlanReady>(events[0]);
        Assert.IsType<OperationCompleted>(events[^1]);
        Assert.Equal(events, await ReadAllAsync(h.Service.EventsAsync(op.Id)).WaitAsync(ServiceHarness.Timeout));
    }

    [Fact]
    public async Task A_reader_that_stops_reading_does_not_cancel_the_operation()
    {
        await using var h = new ServiceHarness();
        await h.CreateAsync(ServiceHarness.Spec("lan", Transport.Gretap, "h1", "h2"));
        h.Executor.Block = true;
        var op = await h.StartAsync("lan");
        var run = await h.Executor.NextStartedAsync();

        using (var stop = new CancellationTokenSource())
        {
            await using var reader = h.Service.EventsAsync(op.Id, stop.Token).GetAsyncEnumerator();
            Assert.True(await reader.MoveNextAsync());
            Assert.IsType<PlanReady>(reader.Current);
            stop.Cancel(); // the browser tab closed
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await reader.MoveNextAsync());
        }
        var abandoned = h.Service.EventsAsync(op.Id).GetAsyncEnumerator();
        Assert.True(await abandoned.MoveNextAsync());
        await abandoned.DisposeAsync(); // a reader that just goes away
        run.Release();
        var ended = await h.EndedAsync(op.Id);

        Assert.Equal(OperationStatus.Succeeded, ended.Status);
        Assert.False(run.SawCancellation);
        Assert.IsType<OperationCompleted>((await ReadAllAsync(h.Service.EventsAsync(op.Id)))[^1]);
    }

    [Fact]
    public async Task A_refused_operation_yields_PreflightFailed_then_OperationCompleted()
    {
        await using var h = new ServiceHarness();
        await h.CreateAsync(ServiceHarness.Spec("lan", Transport.Gretap, "h1", "h2"));
        h.Observer.MakeUnreachable("h1");
        var ended = await h.ApplyAsync("lan");

        var events = await ReadAllAsync(h.Service.EventsAsync(ended.Id)).WaitAsync(ServiceHarness.Timeout);

        Assert.Collection(events,
            e => Assert.Equal((HostId)"h1", Assert.Single(Assert.IsType<PreflightFailed>(e).Problems).Host),
            e => Assert.Equal(ApplyStatus.Refused, Assert.IsType<OperationCompleted>(e).Result.Status));
    }

    [Fact]
    public async Task WaitPlanned_returns_once_the_plan_is_checked_while_the_run_is_still_going()
    {
        await using var h = new ServiceHarness();
        await h.CreateAsync(ServiceHarness.Spec("lan", Transport.Gretap, "h1", "h2"));
        h.Executor.Block = true;
        var op = await h.StartAsync("lan");
        var run = await h.Executor.NextStartedAsync();

        var planned = await h.Service.WaitPlannedAsync(op.Id, ServiceHarness.Timeout);

        Assert.Equal(OperationStatus.Running, planned!.Status);
        Assert.NotNull(planned.PlanFingerprint);
        Assert.Equal(PlanFingerprint.Of(run.Plan), planned.PlanFingerprint);
        run.Release();
        Assert.Equal(OperationStatus.Succeeded, (await h.EndedAsync(op.Id)).Status);
    }
}
