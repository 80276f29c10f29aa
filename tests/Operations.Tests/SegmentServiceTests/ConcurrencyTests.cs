using Superbridge.Core.Model;
using Superbridge.Operations.Tests.Support;

namespace Superbridge.Operations.Tests.SegmentServiceTests;

/// <summary>
/// Operations wait for their segment's and hosts' locks: two on one segment, or on overlapping hosts, never overlap;
/// on disjoint hosts they run at the same time. The executor blocks each run until released, so "still waiting" is
/// checked while the other one demonstrably holds the locks.
/// </summary>
public sealed class ConcurrencyTests
{
    /// <summary>How long a waiting operation is given to (wrongly) start; a bounded wait, not a poll.</summary>
    private static readonly TimeSpan Grace = TimeSpan.FromMilliseconds(300);

    private static async Task AssertStillQueuedAsync(ServiceHarness h, long id)
    {
        var waiting = await h.Service.WaitPlannedAsync(id, Grace);
        Assert.Equal(OperationStatus.Queued, waiting!.Status);
        Assert.False(h.Executor.TryTakeStarted(out _), "a second run started while the first held the locks");
    }

    private static int IndexOf(ServiceHarness h, long id, OperationStatus status) =>
        h.Journal.History.ToList().FindIndex(e => e.Id == id && e.Status == status);

    [Fact]
    public async Task Two_applies_of_one_segment_run_one_after_the_other()
    {
        await using var h = new ServiceHarness();
        await h.CreateAsync(ServiceHarness.Spec("lan", Transport.Gretap, "h1", "h2"));
        h.Executor.Block = true;

        var a = await h.StartAsync("lan");
        var b = await h.StartAsync("lan");
        var first = await h.Executor.NextStartedAsync();
        var firstId = first.Context.OperationId!.Value;
        var secondId = firstId == a.Id ? b.Id : a.Id;
        await AssertStillQueuedAsync(h, secondId);
        first.Release();
        var second = await h.Executor.NextStartedAsync();
        Assert.Equal(secondId, second.Context.OperationId);
        second.Release();
        await h.Service.DrainAsync().WaitAsync(ServiceHarness.Timeout);

        Assert.Equal(OperationStatus.Succeeded, (await h.EndedAsync(a.Id)).Status);
        Assert.Equal(OperationStatus.Succeeded, (await h.EndedAsync(b.Id)).Status);
        Assert.Equal(0, h.Executor.Overlaps);
        Assert.Equal(1, h.Executor.MaxConcurrent);
        Assert.True(IndexOf(h, firstId, OperationStatus.Succeeded) < IndexOf(h, secondId, OperationStatus.Running),
            "the second must start only after the first was recorded as finished");
        Assert.Equal(0, second.Plan.StepCount); // planned after the first was applied: nothing left to do
    }

    [Fact]
    public async Task Applies_of_two_segments_sharing_a_host_never_run_at_once()
    {
        await using var h = new ServiceHarness();
        await h.CreateAsync(ServiceHarness.Spec("lan", Transport.Gretap, "h1", "h2"));
        await h.CreateAsync(ServiceHarness.Spec("dmz", Transport.Vxlan, "h2", "h3"));
        h.Executor.Block = true;

        var lan = await h.StartAsync("lan");
        var first = await h.Executor.NextStartedAsync();
        Assert.Equal(lan.Id, first.Context.OperationId);
        var dmz = await h.StartAsync("dmz");
        await AssertStillQueuedAsync(h, dmz.Id);
        Assert.True(h.Service.IsBusy("h2"));
        first.Release();
        var second = await h.Executor.NextStartedAsync();
        Assert.Equal(dmz.Id, second.Context.OperationId);
        second.Release();
        await h.Service.DrainAsync().WaitAsync(ServiceHarness.Timeout);

        Assert.Equal(OperationStatus.Succeeded, (await h.EndedAsync(lan.Id)).Status);
        Assert.Equal(OperationStatus.Succeeded, (await h.EndedAsync(dmz.Id)).Status);
        Assert.Equal(0, h.Executor.Overlaps);
        Assert.Equal(1, h.Executor.MaxConcurrent);
        Assert.False(h.Service.IsBusy("h2"));
    }

    [Fact]
    public async Task Applies_on_disjoint_hosts_run_at_the_same_time()
    {
        await using var h = new ServiceHarness(hosts: 4);
        await h.CreateAsync(ServiceHarness.Spec("lan", Transport.Gretap, "h1", "h2"));
        await h.CreateAsync(ServiceHarness.Spec("dmz", Transport.Vxlan, "h3", "h4"));
        h.Executor.Block = true;

        var lan = await h.StartAsync("lan");
        var dmz = await h.StartAsync("dmz");
        var one = await h.Executor.NextStartedAsync();
        var two = await h.Executor.NextStartedAsync(); // both started while neither was released
        Assert.Equal([lan.Id, dmz.Id], new[] { one.Context.OperationId!.Value, two.Context.OperationId!.Value }.Order());
        Assert.Equal(2, h.Executor.MaxConcurrent);
        one.Release();
        two.Release();
        await h.Service.DrainAsync().WaitAsync(ServiceHarness.Timeout);

        Assert.Equal(OperationStatus.Succeeded, (await h.EndedAsync(lan.Id)).Status);
        Assert.Equal(OperationStatus.Succeeded, (await h.EndedAsync(dmz.Id)).Status);
        Assert.Equal(0, h.Executor.Overlaps);
    }

    [Fact]
    public async Task Cancelling_an_operation_queued_behind_its_segment_ends_it_cancelled_and_nothing_of_it_runs()
    {
        await using var h = new ServiceHarness();
        await h.CreateAsync(ServiceHarness.Spec("lan", Transport.Gretap, "h1", "h2"));
        h.Executor.Block = true;
        var a = await h.StartAsync("lan");
        var first = await h.Executor.NextStartedAsync();
        var b = await h.StartAsync("lan");
        await AssertStillQueuedAsync(h, b.Id);

        Assert.True(h.Service.Cancel(b.Id));
        var cancelled = await h.EndedAsync(b.Id);

        Assert.Equal(OperationStatus.Cancelled, cancelled.Status);
        Assert.Contains("nothing ran", cancelled.Error);
        Assert.DoesNotContain(OperationStatus.Running, h.HistoryOf(b.Id));
        Assert.False(h.Service.Cancel(b.Id)); // already over
        first.Release();
        Assert.Equal(OperationStatus.Succeeded, (await h.EndedAsync(a.Id)).Status);
        Assert.Single(h.Executor.Calls);
        Assert.Empty(h.Observer.CallsFor(b.Id));
    }

    [Fact]
    public async Task Cancelling_an_operation_queued_behind_a_host_ends_it_cancelled_and_nothing_of_it_runs()
    {
        await using var h = new ServiceHarness();
        await h.CreateAsync(ServiceHarness.Spec("lan", Transport.Gretap, "h1", "h2"));
        await h.CreateAsync(ServiceHarness.Spec("dmz", Transport.Vxlan, "h2", "h3"));
        h.Executor.Block = true;
        var lan = await h.StartAsync("lan");
        var first = await h.Executor.NextStartedAsync();
        var dmz = await h.StartAsync("dmz");
        await AssertStillQueuedAsync(h, dmz.Id);

        Assert.True(h.Service.Cancel(dmz.Id));
        var cancelled = await h.EndedAsync(dmz.Id);

        Assert.Equal(OperationStatus.Cancelled, cancelled.Status);
        Assert.DoesNotContain(OperationStatus.Running, h.HistoryOf(dmz.Id));
        first.Release();
        Assert.Equal(OperationStatus.Succeeded, (await h.EndedAsync(lan.Id)).Status);
        Assert.Single(h.Executor.Calls);
        // The cancelled waiter gave back nothing it did not hold: dmz's hosts are free and it can run now.
        h.Executor.Block = false;
        Assert.Equal(OperationStatus.Succeeded, (await h.ApplyAsync("dmz")).Status);
    }

    [Fact]
    public async Task Cancelling_a_running_operation_cancels_the_executors_token_and_ends_it_cancelled()
    {
        await using var h = new ServiceHarness();
        await h.CreateAsync(ServiceHarness.Spec("lan", Transport.Gretap, "h1", "h2"));
        h.Executor.Block = true;
        var a = await h.StartAsync("lan");
        var run = await h.Executor.NextStartedAsync();
        Assert.Equal(OperationStatus.Running, (await h.Service.FindOperationAsync(a.Id))!.Status);

        Assert.True(h.Service.Cancel(a.Id));
        var ended = await h.EndedAsync(a.Id);

        Assert.True(run.SawCancellation);
        Assert.Equal(OperationStatus.Cancelled, ended.Status);
        Assert.Equal(ApplyStatus.RolledBack, ended.Result!.Status);
        var record = await h.RecordAsync("lan");
        Assert.Null(record.Applied);
        Assert.Null(record.Attempted); // rolled back: nothing of the attempt is left
        Assert.False(h.Service.IsBusy("h1"));
    }

    [Fact]
    public async Task Cancel_of_an_unknown_operation_is_false()
    {
        await using var h = new ServiceHarness();

        Assert.False(h.Service.Cancel(12345));
        Assert.Null(await h.Service.WaitAsync(12345, TimeSpan.FromMilliseconds(10)));
    }
}
