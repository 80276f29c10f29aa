using Superbridge.Core.Model;

namespace Superbridge.Operations;

/// <summary>Where segments are kept (SQLite in the dashboard).</summary>
public interface ISegmentRepository
{
    Task<IReadOnlyList<SegmentRecord>> ListAsync(CancellationToken cancellationToken);

    Task<SegmentRecord?> FindAsync(string id, CancellationToken cancellationToken);

    /// <summary>Stores a new segment; false when the name is taken (nothing is replaced).</summary>
    Task<bool> AddAsync(Segment desired, CancellationToken cancellationToken);

    /// <summary>Replaces what the operator wants; what was applied or attempted is kept.</summary>
    Task SaveDesiredAsync(Segment desired, CancellationToken cancellationToken);

    /// <summary>An operation is about to run <paramref name="attempted"/> on the hosts.</summary>
    Task SaveAttemptedAsync(string id, Segment attempted, CancellationToken cancellationToken);

    /// <summary>The hosts now have <paramref name="applied"/>; no attempt is outstanding.</summary>
    Task MarkAppliedAsync(Segment applied, CancellationToken cancellationToken);

    /// <summary>An attempt was rolled back cleanly: nothing of it is left on the hosts.</summary>
    Task ClearAttemptedAsync(string id, CancellationToken cancellationToken);

    Task<bool> DeleteAsync(string id, CancellationToken cancellationToken);
}
