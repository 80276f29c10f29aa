namespace Superbridge.Lab;

/// <summary>What a finished command printed and returned.</summary>
public sealed record CommandResult(IReadOnlyList<string> Command, int ExitCode, string StandardOutput, string StandardError)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>Throws with the command, exit code and both outputs unless the command succeeded.</summary>
    public CommandResult EnsureSuccess()
    {
        if (!Succeeded)
        {
            throw new LabCommandException(this);
        }
        return this;
    }

    public override string ToString() =>
        $"`{string.Join(' ', Command)}` exited {ExitCode}\n--- stdout ---\n{StandardOutput}\n--- stderr ---\n{StandardError}";
}

public sealed class LabCommandException(CommandResult result) : Exception(result.ToString())
{
    public CommandResult Result { get; } = result;
}
