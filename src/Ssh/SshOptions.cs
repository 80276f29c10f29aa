namespace Superbridge.Ssh;

/// <summary>Timeouts and limits of the SSH layer.</summary>
public sealed record SshOptions
{
    /// <summary>TCP connect, key exchange and authentication together, per host.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Default time a command may run; <see cref="Execution.RunOptions.Timeout"/> overrides it per command.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Keep-alive interval of pooled connections, so a dropped connection is noticed while idle.</summary>
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Commands running at once over one connection (sshd's MaxSessions defaults to 10).</summary>
    public int MaxParallelCommandsPerHost { get; init; } = 8;

    public static SshOptions Default { get; } = new();

    public void Validate()
    {
        if (ConnectTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(ConnectTimeout), ConnectTimeout, "The connect timeout must be positive.");
        if (CommandTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(CommandTimeout), CommandTimeout, "The command timeout must be positive.");
        if (MaxParallelCommandsPerHost < 1) throw new ArgumentOutOfRangeException(nameof(MaxParallelCommandsPerHost), MaxParallelCommandsPerHost, "At least one command must be able to run.");
    }
}
