using System.Threading.Channels;

namespace Superbridge.Operations;

/// <summary>
/// The live side of one operation in this process: its events from the start (for a log opened mid-run), a way to
/// cancel it, and its end. Readers only read: a reader going away never cancels anything.
/// </summary>
public sealed class OperationFeed
{
    private readonly object _gate = new();
    private readonly List<ApplyEvent> _events = [];
    private readonly List<Channel<ApplyEvent>> _readers = [];
    private readonly TaskCompletionSource<OperationRecord> _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<bool> _planned = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _cancel = new();
    private bool _completed;

    public OperationFeed(long id) => Id = id;

    public long Id { get; }

    /// <summary>Set by <see cref="Cancel"/>: stop after the running step and roll back.</summary>
    public CancellationToken Cancellation => _cancel.Token;

    public bool CancelRequested => _cancel.IsCancellationRequested;

    /// <summary>Completes with the finished record.</summary>
    public Task<OperationRecord> Finished => _finished.Task;

    /// <summary>Completes once the plan is known and checked: true when it runs, false when the operation ended before.</summary>
    public Task<bool> Planned => _planned.Task;

    public void Cancel()
    {
        try { _cancel.Cancel(); } catch (ObjectDisposedException) { }
    }

    public void Append(ApplyEvent e)
    {
        lock (_gate)
        {
            if (_completed) return;
            _events.Add(e);
            foreach (var reader in _readers) reader.Writer.TryWrite(e);
        }
    }

    public void MarkPlanned() => _planned.TrySetResult(true);

    public void Complete(OperationRecord record)
    {
        lock (_gate)
        {
            _completed = true;
            foreach (var reader in _readers) reader.Writer.TryComplete();
            _readers.Clear();
        }
        _planned.TrySetResult(false);
        _finished.TrySetResult(record);
    }

    /// <summary>Every event so far, then the live ones, until the operation ends or the reader stops.</summary>
    public async IAsyncEnumerable<ApplyEvent> ReadAllAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ApplyEvent[] snapshot;
        Channel<ApplyEvent>? live = null;
        lock (_gate)
        {
            snapshot = [.. _events];
            if (!_completed)
            {
                live = Channel.CreateUnbounded<ApplyEvent>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
                _readers.Add(live);
            }
        }
        try
        {
            foreach (var e in snapshot) yield return e;
            if (live is null) yield break;
            await foreach (var e in live.Reader.ReadAllAsync(cancellationToken))
                yield return e;
        }
        finally
        {
            if (live is not null)
                lock (_gate) _readers.Remove(live);
        }
    }
}
