using Superbridge.Ssh.Audit;

namespace Superbridge.Web.Audit;

/// <summary>Files every command the SSH layer runs into the audit table, under the current operation and user.</summary>
public sealed class DatabaseAuditSink(AuditStore store) : IAuditSink
{
    public async ValueTask RecordAsync(Superbridge.Ssh.Audit.AuditEntry entry, CancellationToken cancellationToken)
    {
        var scope = OperationScope.Current;
        var stderr = entry.Error is null ? entry.StandardError : $"{entry.StandardError}{(entry.StandardError.Length > 0 ? "\n" : "")}[{entry.Outcome}] {entry.Error}";
        // Recorded even when the operation was cancelled: the command did run.
        await store.AppendAsync(new AuditEntry(
            0,
            scope.OperationId,
            entry.HostId.Value,
            scope.User,
            entry.StartTime,
            entry.Script is null ? entry.Argv : [.. entry.Argv, entry.Script],
            entry.ExitCode,
            entry.StandardOutput,
            stderr,
            (long)entry.Duration.TotalMilliseconds), CancellationToken.None);
    }
}
