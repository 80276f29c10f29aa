namespace Superbridge.Ssh.Execution;

/// <summary>A command exited non-zero and the caller did not opt out (<see cref="RunOptions.AllowNonZeroExit"/>).</summary>
public sealed class CommandFailedException : Exception
{
    public CommandFailedException(HostEndpoint endpoint, CommandResult result)
        : base(Describe(endpoint, result)) => (Endpoint, Result) = (endpoint, result);

    public HostEndpoint Endpoint { get; }
    public CommandResult Result { get; }

    private static string Describe(HostEndpoint endpoint, CommandResult result)
    {
        var how = result.ExitSignal is null ? $"exited with code {result.ExitCode}" : $"was killed by signal {result.ExitSignal}";
        var stderr = result.StandardError.Trim();
        if (stderr.Length > 500) stderr = stderr[..500] + "...";
        return stderr.Length == 0
            ? $"`{result.CommandLine}` on {endpoint} {how}."
            : $"`{result.CommandLine}` on {endpoint} {how}: {stderr}";
    }
}
