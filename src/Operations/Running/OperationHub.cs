using System.Collections.Concurrent;

namespace Superbridge.Operations;

/// <summary>
/// The feeds of the operations this process runs or ran lately (the newest <see cref="Kept"/>); older or earlier
/// operations are read from the journal. A singleton.
/// </summary>
public sealed class OperationHub
{
    public const int Kept = 200;

    private readonly ConcurrentDictionary<long, OperationFeed> _feeds = new();
    private readonly ConcurrentQueue<long> _order = new();

    public OperationFeed Open(long id)
    {
        var feed = _feeds.GetOrAdd(id, static i => new OperationFeed(i));
        _order.Enqueue(id);
        // Forget the oldest finished feeds; one still running goes back in line, so it is forgotten once it has ended.
        for (var looked = 0; _order.Count > Kept && looked < _order.Count && _order.TryDequeue(out var old); looked++)
        {
            if (_feeds.TryGetValue(old, out var f) && !f.Finished.IsCompleted) _order.Enqueue(old);
            else _feeds.TryRemove(old, out _);
        }
        return feed;
    }

    public OperationFeed? Find(long id) => _feeds.TryGetValue(id, out var feed) ? feed : null;
}
