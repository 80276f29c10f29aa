using Superbridge.Core.Commands;

namespace Superbridge.Ssh.Execution;

/// <summary>
/// The edge where an argv becomes the one line sshd hands to the login shell: quoted by Core's
/// <see cref="PosixShell"/>, prefixed with <c>sudo -n --</c> when the endpoint uses sudo
/// (<c>-n</c>: fail instead of prompting; <c>--</c>: the argv is never read as sudo options).
/// </summary>
public static class RemoteCommandLine
{
    /// <summary>How long the host's <c>timeout</c> waits after TERM before it sends KILL (<c>timeout -k</c>).</summary>
    public static readonly TimeSpan KillAfter = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Whether the host's <c>timeout</c> stopped the command: exit 124 (TERM ended it), or 137 / signal KILL (it
    /// needed KILL, which <c>timeout</c> sends to its whole process group, itself included). A command can end so on
    /// its own; this also asks that the limit had passed.
    /// </summary>
    public static bool StoppedByTimeout(int exitCode, string? exitSignal, TimeSpan runTime, TimeSpan timeout) =>
        (exitCode is 124 or 137 || exitSignal == "KILL") && runTime >= TimeSpan.FromSeconds(RemoteSeconds(timeout));

    /// <summary>The whole seconds the host's <c>timeout</c> allows: the timeout rounded up, at least 1.</summary>
    public static long RemoteSeconds(TimeSpan timeout) => Math.Max(1, (long)Math.Ceiling(timeout.TotalSeconds));

    public static string Render(Command command, bool useSudo)
    {
        ArgumentNullException.ThrowIfNull(command);
        var line = PosixShell.Join(command.Argv);
        return useSudo ? "sudo -n -- " + line : line;
    }

    /// <summary>
    /// The line actually sent: the argv run under the host's <c>timeout -k 5 SECONDS</c> (coreutils or busybox),
    /// so a command past its <paramref name="timeout"/> is stopped on the host (TERM to its process group, KILL 5 s
    /// later), not just abandoned with its channel; prefixed like <see cref="Render"/>; and when nothing is written
    /// to the command's stdin, <c>&lt;/dev/null</c> so a command that reads stdin sees end of input at once.
    /// (SSH.NET 2026 sends EOF on the channel only after at least one byte was written, so an empty stdin would stay
    /// open forever.)
    /// </summary>
    public static string RenderForExec(Command command, bool useSudo, bool writesStdin, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (timeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The timeout must be positive.");
        string[] limited = ["timeout", "-k", KillAfter.TotalSeconds.ToString("0", System.Globalization.CultureInfo.InvariantCulture),
            RemoteSeconds(timeout).ToString(System.Globalization.CultureInfo.InvariantCulture), .. command.Argv];
        var line = Render(Command.Of(limited), useSudo);
        return writesStdin ? line : line + " </dev/null";
    }

    /// <summary>
    /// The argv that runs a script text: <c>sh -s</c> (script on stdin) or <c>sh -c script</c>, after
    /// <c>env NAME=VALUE …</c> when <paramref name="environment"/> has variables (the script text stays as previewed).
    /// </summary>
    /// <exception cref="ArgumentException">A variable name is not a portable shell name.</exception>
    public static Command ForScript(string script, ScriptDelivery delivery, IReadOnlyDictionary<string, string>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(script);
        string[] shell = delivery switch
        {
            ScriptDelivery.StandardInput => ["sh", "-s"],
            ScriptDelivery.Argument => ["sh", "-c", script],
            _ => throw new ArgumentOutOfRangeException(nameof(delivery), delivery, null),
        };
        if (environment is null || environment.Count == 0) return Command.Of(shell);
        var assignments = environment.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => IsName(v.Key)
            ? $"{v.Key}={v.Value}"
            : throw new ArgumentException($"\"{v.Key}\" is not a shell variable name.", nameof(environment)));
        return Command.Of(["env", .. assignments, .. shell]);
    }

    private static bool IsName(string name) =>
        name.Length > 0 && !char.IsAsciiDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    /// <summary>sudo's own refusal when <c>-n</c> meets a rule that wants a password (exit 1).</summary>
    public static bool IsSudoPasswordRefusal(int exitCode, string standardError) =>
        exitCode == 1
        && (standardError.Contains("sudo: a password is required", StringComparison.Ordinal)
            || standardError.Contains("sudo: a terminal is required", StringComparison.Ordinal));
}
