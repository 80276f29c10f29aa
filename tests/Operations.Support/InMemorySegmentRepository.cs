using System.Collections.Concurrent;
using Superbridge.Core.Model;

namespace Superbridge.Operations.Support;

/// <summary>Segments kept in memory, with the same rules as the SQLite store (a taken name is not replaced).</summary>
public sealed class InMemorySegmentRepository : ISegmentRepository
{
    private readonly ConcurrentDictionary<string, SegmentRecord> _records = new(StringComparer.Ordinal);

    /// <summary>Puts a record as it is (for a test that starts from a given state).</summary>
    public void Put(SegmentRecord record) => _records[record.Id] = record;

    public Task<IReadOnlyList<SegmentRecord>> ListAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<SegmentRecord>>([.. _records.Values.OrderBy(r => r.Id, StringComparer.Ordinal)]);

    public Task<SegmentRecord?> FindAsync(string id, CancellationToken cancellationToken) =>
        Task.FromResult(_records.TryGetValue(id, out var record) ? record : null);

    public Task<bool> AddAsync(Segment desired, CancellationToken cancellationToken) =>
        Task.FromResult(_records.TryAdd(desired.Spec.Name, new SegmentRecord(desired, null)));

    public Task SaveDesiredAsync(Segment desired, CancellationToken cancellationToken)
    {
        _records.AddOrUpdate(desired.Spec.Name, _ => new SegmentRecord(desired, null), (_, r) => r with { Desired = desired });
        return Task.CompletedTask;
    }

    public Task SaveAttemptedAsync(string id, Segment attempted, CancellationToken cancellationToken) =>
        Update(id, r => r with { Attempted = attempted });

    public Task MarkAppliedAsync(Segment applied, CancellationToken cancellationToken) =>
        Update(applied.Spec.Name, r => r with { Applied = applied, Attempted = null });

    public Task ClearAttemptedAsync(string id, CancellationToken cancellationToken) => Update(id, r => r with { Attempted = null });

    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken) => Task.FromResult(_records.TryRemove(id, out _));

    private Task Update(string id, Func<SegmentRecord, SegmentRecord> change)
    {
        while (_records.TryGetValue(id, out var record) && !_records.TryUpdate(id, change(record), record))
        {
        }
        return Task.CompletedTask;
    }
}
