using Superbridge.Ssh.Audit;

namespace Superbridge.Ssh.Execution;

/// <summary>How to run one command. A non-zero exit throws <see cref="CommandFailedException"/> unless <see cref="AllowNonZeroExit"/>.</summary>
public sealed record RunOptions
{
    /// <summary>Return the result of a non-zero exit instead of throwing (for checks whose "no" is an answer).</summary>
    public bool AllowNonZeroExit { get; init; }

    /// <summary>This command's timeout; null uses <see cref="SshOptions.CommandTimeout"/>.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>The operation and user the command runs for; the audit files it under them (null: the dashboard's own reads).</summary>
    public AuditTag? Audit { get; init; }

    /// <summary>
    /// Receives each line of standard output as it arrives (a program's progress markers), in order; the whole output
    /// is still in the result.
    /// </summary>
    public Func<string, ValueTask>? OnOutputLine { get; init; }

    /// <summary>Variables a script runs with (<c>env NAME=VALUE sh …</c>), set on its command line, not in the script text.</summary>
    public IReadOnlyDictionary<string, string>? Environment { get; init; }

    /// <summary>
    /// Keys for the script's <c>&lt;secret:NAME&gt;</c> placeholders: the script is sent with them resolved, and audited as
    /// given (placeholders only).
    /// </summary>
    public IReadOnlyDictionary<string, string>? SecretValues { get; init; }

    public static RunOptions Default { get; } = new();

    /// <summary>A non-zero exit is an answer, not a failure.</summary>
    public static RunOptions Check { get; } = new() { AllowNonZeroExit = true };
}

/// <summary>How a script text reaches the remote shell.</summary>
public enum ScriptDelivery
{
    /// <summary><c>sh -s</c> reading the script from standard input: no length limit, nothing on the command line.</summary>
    StandardInput,
    /// <summary><c>sh -c 'script'</c>: the script is one quoted argument (the remote argument length limit applies).</summary>
    Argument,
}
