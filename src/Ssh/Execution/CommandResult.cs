namespace Superbridge.Ssh.Execution;

/// <summary>
/// What one remote command did. <see cref="ExitTime"/> is <see cref="StartTime"/> plus <see cref="RunTime"/>
/// (measured on the injected <see cref="TimeProvider"/>'s monotonic clock).
/// </summary>
public sealed record CommandResult
{
    /// <summary>The exit status; -1 when the command ended by a signal (<see cref="ExitSignal"/>).</summary>
    public required int ExitCode { get; init; }
    public string? ExitSignal { get; init; }
    public required string StandardOutput { get; init; }
    public required string StandardError { get; init; }
    public required DateTimeOffset StartTime { get; init; }
    public required DateTimeOffset ExitTime { get; init; }
    public required TimeSpan RunTime { get; init; }

    /// <summary>The exact text sent to the remote shell (argv quoted, with the sudo prefix when used).</summary>
    public required string CommandLine { get; init; }

    public bool IsSuccess => ExitCode == 0;
}
