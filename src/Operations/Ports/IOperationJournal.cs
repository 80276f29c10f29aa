using Superbridge.Core.Model;
using Superbridge.Core.Planning;

namespace Superbridge.Operations;

/// <summary>Where operations are recorded durably (SQLite in the dashboard), so none is lost if the process dies.</summary>
public interface IOperationJournal
{
    /// <summary>Stores a new queued operation and returns it with its id.</summary>
    Task<OperationRecord> QueueAsync(SegmentOperationKind kind, string segmentId, string user, Segment? target, CancellationToken cancellationToken);

    Task MarkRunningAsync(long id, CancellationToken cancellationToken);

    /// <summary>The exact plan about to run (and the version of the segment it takes the hosts to).</summary>
    Task RecordPlanAsync(long id, Segment target, SegmentPlan plan, string fingerprint, CancellationToken cancellationToken);

    Task FinishAsync(long id, OperationStatus status, ApplyResult? result, string? error, CancellationToken cancellationToken);

    /// <summary>At start: every operation left queued or running by a previous process becomes interrupted.</summary>
    Task<IReadOnlyList<OperationRecord>> InterruptUnfinishedAsync(string error, CancellationToken cancellationToken);

    Task<OperationRecord?> FindAsync(long id, CancellationToken cancellationToken);

    /// <summary>Newest first.</summary>
    Task<IReadOnlyList<OperationRecord>> ListAsync(string? segmentId, int limit, CancellationToken cancellationToken);
}
