using Superbridge.Core.Commands;

namespace Superbridge.Ssh.Execution;

/// <summary>
/// The edge where an argv becomes the one line sshd hands to the login shell: quoted by Core's
/// <see cref="PosixShell"/>, prefixed with <c>sudo -n --</c> when the endpoint uses sudo
/// (<c>-n</c>: fail instead of prompting; <c>--</c>: the argv is never read as sudo options).
/// </summary>
public static class RemoteCommandLine
{
    public static string Render(Command command, bool useSudo)
    {
        ArgumentNullException.ThrowIfNull(command);
        var line = PosixShell.Join(command.Argv);
        return useSudo ? "sudo -n -- " + line : line;
    }

    /// <summary>
    /// The line actually sent: <see cref="Render"/>, and when nothing is written to the command's stdin,
    /// <c>&lt;/dev/null</c> so a command that reads stdin sees end of input at once. (SSH.NET 2026 sends EOF
    /// on the channel only after at least one byte was written, so an empty stdin would stay open forever.)
    /// </summary>
    public static string RenderForExec(Command command, bool useSudo, bool writesStdin) =>
        writesStdin ? Render(command, useSudo) : Render(command, useSudo) + " </dev/null";

    /// <summary>The argv that runs a script text: <c>sh -s</c> (script on stdin) or <c>sh -c script</c>.</summary>
    public static Command ForScript(string script, ScriptDelivery delivery)
    {
        ArgumentNullException.ThrowIfNull(script);
        return delivery switch
        {
            ScriptDelivery.StandardInput => Command.Of("sh", "-s"),
            ScriptDelivery.Argument => Command.Of("sh", "-c", script),
            _ => throw new ArgumentOutOfRangeException(nameof(delivery), delivery, null),
        };
    }

    /// <summary>sudo's own refusal when <c>-n</c> meets a rule that wants a password (exit 1).</summary>
    public static bool IsSudoPasswordRefusal(int exitCode, string standardError) =>
        exitCode == 1
        && (standardError.Contains("sudo: a password is required", StringComparison.Ordinal)
            || standardError.Contains("sudo: a terminal is required", StringComparison.Ordinal));
}
