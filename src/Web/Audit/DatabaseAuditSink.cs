using Superbridge.Ssh.Audit;
using AuditTag = Superbridge.Ssh.Audit.AuditTag;

namespace Superbridge.Web.Audit;

/// <summary>Files every command the SSH layer runs into the audit table, under the operation and user the caller tagged it with.</summary>
public sealed class DatabaseAuditSink(AuditStore store) : IAuditSink
{
    public async ValueTask RecordAsync(Superbridge.Ssh.Audit.AuditEntry entry, CancellationToken cancellationToken)
    {
        var tag = entry.Tag ?? AuditTag.System;
        var stderr = entry.Error is null ? entry.StandardError : $"{entry.StandardError}{(entry.StandardError.Length > 0 ? "\n" : "")}[{entry.Outcome}] {entry.Error}";
        // Recorded even when the operation was cancelled: the command did run.
        await store.AppendAsync(new AuditEntry(
            0,
            tag.OperationId,
            entry.HostId.Value,
            tag.User,
            entry.StartTime,
            entry.Script is null ? entry.Argv : [.. entry.Argv, entry.Script],
            entry.ExitCode,
            entry.StandardOutput,
            stderr,
            (long)entry.Duration.TotalMilliseconds), CancellationToken.None);
    }
}
