using System.Collections.Concurrent;
using System.Collections.Immutable;

namespace Superbridge.Ssh.Audit;

/// <summary>
/// Receives every command run on a host, after it ends (however it ends). Storage is the caller's;
/// an exception thrown here reaches the caller of the command.
/// </summary>
public interface IAuditSink
{
    ValueTask RecordAsync(AuditEntry entry, CancellationToken cancellationToken);
}

/// <summary>Keeps nothing.</summary>
public sealed class NullAuditSink : IAuditSink
{
    public static NullAuditSink Instance { get; } = new();

    private NullAuditSink() { }

    public ValueTask RecordAsync(AuditEntry entry, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}

/// <summary>Keeps every entry in memory, in the order they arrived (for tests and previews).</summary>
public sealed class InMemoryAuditSink : IAuditSink
{
    private readonly ConcurrentQueue<AuditEntry> _entries = new();

    public ImmutableArray<AuditEntry> Entries => [.. _entries];

    public ValueTask RecordAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        _entries.Enqueue(entry);
        return ValueTask.CompletedTask;
    }
}
