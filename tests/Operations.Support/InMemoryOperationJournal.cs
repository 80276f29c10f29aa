using System.Collections.Concurrent;
using Superbridge.Core.Model;
using Superbridge.Core.Planning;

namespace Superbridge.Operations.Support;

/// <summary>Operations kept in memory, each state change recorded in <see cref="History"/> in the order it happened.</summary>
public sealed class InMemoryOperationJournal(TimeProvider time) : IOperationJournal
{
    private readonly ConcurrentDictionary<long, OperationRecord> _operations = new();
    private long _next;

    /// <summary>(operation id, status) as each was stored.</summary>
    public ConcurrentQueue<(long Id, OperationStatus Status)> History { get; } = new();

    public Task<OperationRecord> QueueAsync(SegmentOperationKind kind, string segmentId, string user, Segment? target, CancellationToken cancellationToken)
    {
        var record = new OperationRecord
        {
            Id = Interlocked.Increment(ref _next), Kind = kind, SegmentId = segmentId, User = user,
            Status = OperationStatus.Queued, QueuedAt = time.GetUtcNow(), Target = target,
        };
        _operations[record.Id] = record;
        History.Enqueue((record.Id, record.Status));
        return Task.FromResult(record);
    }

    public Task MarkRunningAsync(long id, CancellationToken cancellationToken) =>
        Update(id, r => r with { Status = OperationStatus.Running, StartedAt = time.GetUtcNow() });

    public Task RecordPlanAsync(long id, Segment target, SegmentPlan plan, string fingerprint, CancellationToken cancellationToken) =>
        Update(id, r => r with { Target = target, Plan = plan, PlanFingerprint = fingerprint });

    public Task FinishAsync(long id, OperationStatus status, ApplyResult? result, string? error, CancellationToken cancellationToken) =>
        Update(id, r => r with { Status = status, Result = result, Error = error, EndedAt = time.GetUtcNow() });

    public async Task<IReadOnlyList<OperationRecord>> InterruptUnfinishedAsync(string error, CancellationToken cancellationToken)
    {
        var unfinished = _operations.Values.Where(o => !o.Status.IsFinished()).ToList();
        foreach (var o in unfinished) await FinishAsync(o.Id, OperationStatus.Interrupted, null, error, cancellationToken);
        return [.. unfinished.Select(o => _operations[o.Id])];
    }

    public Task<OperationRecord?> FindAsync(long id, CancellationToken cancellationToken) =>
        Task.FromResult(_operations.TryGetValue(id, out var record) ? record : null);

    public Task<IReadOnlyList<OperationRecord>> ListAsync(string? segmentId, int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<OperationRecord>>(
            [.. _operations.Values.Where(o => segmentId is null || o.SegmentId == segmentId).OrderByDescending(o => o.Id).Take(limit)]);

    private Task Update(long id, Func<OperationRecord, OperationRecord> change)
    {
        var updated = _operations.AddOrUpdate(id, _ => throw new KeyNotFoundException($"operation {id}"), (_, r) => change(r));
        History.Enqueue((id, updated.Status));
        return Task.CompletedTask;
    }
}
