using Superbridge.Core.Model;
using Superbridge.Operations.Support;
using Superbridge.Operations.Tests.Support;

namespace Superbridge.Operations.Tests.SegmentServiceTests;

/// <summary>At start, operations an earlier process left unfinished are closed as interrupted.</summary>
public sealed class RecoverTests
{
    [Fact]
    public async Task Operations_left_queued_or_running_become_interrupted_with_the_message()
    {
        var journal = new InMemoryOperationJournal(TimeProvider.System);
        var queued = await journal.QueueAsync(SegmentOperationKind.Apply, "lan", "bob", null, CancellationToken.None);
        var running = await journal.QueueAsync(SegmentOperationKind.Teardown, "dmz", "carol", null, CancellationToken.None);
        await journal.MarkRunningAsync(running.Id, CancellationToken.None);
        var done = await journal.QueueAsync(SegmentOperationKind.Apply, "lan", "bob", null, CancellationToken.None);
        await journal.MarkRunningAsync(done.Id, CancellationToken.None);
        await journal.FinishAsync(done.Id, OperationStatus.Succeeded, null, null, CancellationToken.None);
        await using var h = new ServiceHarness(journal: journal);

        var recovered = await h.Service.RecoverAsync();

        Assert.Equal([queued.Id, running.Id], recovered.Select(o => o.Id).Order());
        foreach (var id in new[] { queued.Id, running.Id })
        {
            var operation = (await h.Service.FindOperationAsync(id))!;
            Assert.Equal(OperationStatus.Interrupted, operation.Status);
            Assert.Equal(SegmentService.InterruptedMessage, operation.Error);
            Assert.Equal(OperationStatus.Interrupted, (await h.Service.WaitAsync(id, TimeSpan.FromSeconds(1)))!.Status);
        }
        Assert.Equal(OperationStatus.Succeeded, (await h.Service.FindOperationAsync(done.Id))!.Status);
        Assert.Empty(h.Executor.Calls);
        Assert.Empty(h.Observer.Calls);
    }

    [Fact]
    public async Task Events_of_an_operation_of_an_earlier_process_are_empty()
    {
        var journal = new InMemoryOperationJournal(TimeProvider.System);
        var old = await journal.QueueAsync(SegmentOperationKind.Apply, "lan", "bob", null, CancellationToken.None);
        await using var h = new ServiceHarness(journal: journal);
        await h.Service.RecoverAsync();

        var events = new List<ApplyEvent>();
        await foreach (var e in h.Service.EventsAsync(old.Id)) events.Add(e);

        Assert.Empty(events);
        Assert.False(h.Service.Cancel(old.Id));
    }

    [Fact]
    public async Task After_an_interrupted_apply_the_next_apply_converges()
    {
        await using var h = new ServiceHarness();
        await h.CreateAsync(ServiceHarness.Spec("lan", Transport.Gretap, "h1", "h2"));
        // An earlier process got as far as marking the attempt, then died mid-run.
        var record = await h.RecordAsync("lan");
        await h.Segments.SaveAttemptedAsync("lan", record.Desired, CancellationToken.None);
        var left = await h.Journal.QueueAsync(SegmentOperationKind.Apply, "lan", "bob", record.Desired, CancellationToken.None);
        await h.Journal.MarkRunningAsync(left.Id, CancellationToken.None);
        await h.Service.RecoverAsync();

        var again = await h.ApplyAsync("lan");

        Assert.Equal(OperationStatus.Interrupted, (await h.Service.FindOperationAsync(left.Id))!.Status);
        Assert.Equal(SegmentOperationKind.Apply, again.Kind); // attempted == desired: all of it again
        Assert.Equal(OperationStatus.Succeeded, again.Status);
        var after = await h.RecordAsync("lan");
        Assert.NotNull(after.Applied);
        Assert.Null(after.Attempted);
    }
}
