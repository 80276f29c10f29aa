using System.Collections.Concurrent;

namespace Superbridge.Operations;

/// <summary>Background tasks started and not yet awaited, so they can be waited for at shutdown.</summary>
internal sealed class ConcurrentTasks
{
    private readonly ConcurrentDictionary<Task, byte> _tasks = new();

    public void Add(Task task)
    {
        _tasks.TryAdd(task, 0);
        task.ContinueWith(t => _tasks.TryRemove(t, out _), TaskScheduler.Default);
    }

    public Task WhenAllAsync() => Task.WhenAll(_tasks.Keys);
}
