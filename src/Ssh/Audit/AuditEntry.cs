using System.Collections.Immutable;
using Superbridge.Core.Model;

namespace Superbridge.Ssh.Audit;

/// <summary>How a command ended, for the audit log.</summary>
public enum AuditOutcome
{
    /// <summary>It ran to an exit status (zero or not); see <see cref="AuditEntry.ExitCode"/>.</summary>
    Exited,
    /// <summary>It ran past its timeout and was stopped.</summary>
    TimedOut,
    /// <summary>The caller cancelled it.</summary>
    Cancelled,
    /// <summary>The connection failed while it ran; see <see cref="AuditEntry.Error"/>.</summary>
    Failed,
}

/// <summary>The operation (null outside one) and the user a command runs for, passed explicitly by the caller.</summary>
public sealed record AuditTag(long? OperationId, string User)
{
    public static AuditTag System { get; } = new(null, "system");
}

/// <summary>One command the dashboard ran on a host. <see cref="Script"/> is set when the argv is <c>sh -s</c> reading it from stdin.</summary>
public sealed record AuditEntry
{
    public required HostId HostId { get; init; }
    public required HostEndpoint Endpoint { get; init; }
    public required DateTimeOffset StartTime { get; init; }
    public required ImmutableArray<string> Argv { get; init; }
    public required string CommandLine { get; init; }
    public string? Script { get; init; }
    public required AuditOutcome Outcome { get; init; }
    public int? ExitCode { get; init; }
    public string StandardOutput { get; init; } = "";
    public string StandardError { get; init; } = "";
    public required TimeSpan Duration { get; init; }
    public string? Error { get; init; }

    /// <summary>Whom and which operation the command ran for, as the caller passed it in <c>RunOptions.Audit</c>.</summary>
    public AuditTag? Tag { get; init; }

    public string Username => Endpoint.Username;
    public bool UsedSudo => Endpoint.UseSudo;
}
