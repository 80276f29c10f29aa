using System.Collections.Concurrent;

namespace Superbridge.Operations;

/// <summary>
/// One lock per segment id, taken before any host lock: reading the record, planning, running and recording the
/// result happen under it, so no change acts on a stale record. A singleton.
/// </summary>
public sealed class SegmentLocks
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);

    public async Task<IDisposable> AcquireAsync(string segmentId, CancellationToken cancellationToken)
    {
        var gate = _locks.GetOrAdd(segmentId, static _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        return new Release(gate);
    }

    private sealed class Release(SemaphoreSlim gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) gate.Release();
        }
    }
}
