using System.Collections.Immutable;

namespace Superbridge.Web.Audit;

/// <summary>One command run on a host: who, when, the exact argv, and what came back.</summary>
public sealed record AuditEntry(
    long Id,
    long? OperationId,
    string HostId,
    string User,
    DateTimeOffset At,
    ImmutableArray<string> Argv,
    int? ExitCode,
    string Stdout,
    string Stderr,
    long DurationMs);
