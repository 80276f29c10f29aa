using Superbridge.Core.Commands;
using Superbridge.Ssh.Execution;

namespace Superbridge.Ssh.Tests.Execution;

public sealed class RemoteCommandLineTests
{
    [Theory]
    [InlineData(false, "ip link show dev sb-br0", new[] { "ip", "link", "show", "dev", "sb-br0" })]
    [InlineData(true, "sudo -n -- ip link show dev sb-br0", new[] { "ip", "link", "show", "dev", "sb-br0" })]
    [InlineData(true, "sudo -n -- printf '%s\\n' 'it'\\''s' '$(x)' 'a;b' ''", new[] { "printf", "%s\\n", "it's", "$(x)", "a;b", "" })]
    [InlineData(false, "sh -c 'echo \"$1\"' sh -x", new[] { "sh", "-c", "echo \"$1\"", "sh", "-x" })]
    public void An_argv_renders_quoted_with_the_sudo_prefix_when_used(bool sudo, string expected, string[] argv)
    {
        Assert.Equal(expected, RemoteCommandLine.Render(Command.Of(argv), sudo));
    }

    [Theory]
    [InlineData(false, "sudo -n -- timeout -k 5 60 cat </dev/null")]
    [InlineData(true, "sudo -n -- timeout -k 5 60 cat")]
    public void The_exec_line_reads_stdin_from_dev_null_unless_input_is_written(bool writesStdin, string expected)
    {
        Assert.Equal(expected, RemoteCommandLine.RenderForExec(Command.Of("cat"), useSudo: true, writesStdin, TimeSpan.FromSeconds(60)));
    }

    [Theory]
    [InlineData(false, 30_000, "timeout -k 5 30 sh -s")]
    [InlineData(true, 1_500, "sudo -n -- timeout -k 5 2 sh -s")]
    [InlineData(false, 200, "timeout -k 5 1 sh -s")]
    public void The_host_stops_the_command_at_its_timeout_rounded_up_to_whole_seconds(bool sudo, int milliseconds, string expected)
    {
        Assert.Equal(expected, RemoteCommandLine.RenderForExec(Command.Of("sh", "-s"), sudo, writesStdin: true, TimeSpan.FromMilliseconds(milliseconds)));
    }

    [Theory]
    [InlineData(124, null, 2.1, true)]
    [InlineData(137, null, 7.0, true)]
    [InlineData(-1, "KILL", 7.0, true)]
    [InlineData(124, null, 0.3, false)] // the command's own exit 124, well before the limit
    [InlineData(-1, "KILL", 0.3, false)]
    [InlineData(1, null, 9.0, false)]
    public void Exit_124_137_or_KILL_after_the_limit_means_the_host_stopped_the_command(int exit, string? signal, double seconds, bool stopped)
    {
        Assert.Equal(stopped, RemoteCommandLine.StoppedByTimeout(exit, signal, TimeSpan.FromSeconds(seconds), TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public void A_nul_in_an_argument_is_refused()
    {
        Assert.Throws<ArgumentException>(() => RemoteCommandLine.Render(Command.Of("echo", "a\0b"), useSudo: false));
    }

    [Theory]
    [InlineData(1, "sudo: a password is required\n", true)]
    [InlineData(1, "sudo: a terminal is required to read the password; either use the -S option\n", true)]
    [InlineData(1, "grep: no match\n", false)]
    [InlineData(0, "sudo: a password is required\n", false)]
    public void Sudo_asking_for_a_password_is_recognised(int exit, string stderr, bool expected)
    {
        Assert.Equal(expected, RemoteCommandLine.IsSudoPasswordRefusal(exit, stderr));
    }
}
