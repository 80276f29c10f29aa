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
    [InlineData(false, "sudo -n -- cat </dev/null")]
    [InlineData(true, "sudo -n -- cat")]
    public void The_exec_line_reads_stdin_from_dev_null_unless_input_is_written(bool writesStdin, string expected)
    {
        Assert.Equal(expected, RemoteCommandLine.RenderForExec(Command.Of("cat"), useSudo: true, writesStdin));
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
