using Superbridge.Core.Commands;
using Superbridge.Ssh.Connections;
using Superbridge.Ssh.Tests.Support;

namespace Superbridge.Ssh.Tests.Connections;

[Collection(SshdCollection.Name)]
public sealed class SudoTests(SshdFixture sshd)
{
    private readonly TestHosts _hosts = new(sshd);

    [Fact]
    public async Task A_non_root_user_runs_commands_as_root_through_sudo()
    {
        await using var session = await _hosts.Connector().ConnectAsync(_hosts.Operator());

        var result = await session.RunAsync(Command.Of("id", "-u"));

        Assert.Equal("0\n", result.StandardOutput);
        Assert.Equal("sudo -n -- timeout -k 5 20 id -u </dev/null", result.CommandLine);
    }

    [Fact]
    public async Task A_user_whose_sudo_wants_a_password_is_refused_as_SudoNeedsPassword()
    {
        var target = _hosts.Operator() with
        {
            Endpoint = HostEndpoint.SudoUser(SshdFixture.Address, SshdFixture.PasswordSudoUser),
            Credentials = HostCredentials.FromPassword(sshd.PasswordSudoUserPassword),
        };

        var e = await Assert.ThrowsAsync<SshFailureException>(() => _hosts.Connector().ConnectAsync(target));

        Assert.Equal(SshFailureReason.SudoNeedsPassword, e.Reason);
        Assert.Contains("sudo asks for a password", e.Message);
        Assert.Contains("a password is required", e.Message);
        Assert.Contains($"{SshdFixture.PasswordSudoUser} ALL=(ALL) NOPASSWD: ALL", e.Message);
    }

    [Fact]
    public async Task The_same_user_without_sudo_logs_in_and_runs_as_itself()
    {
        var target = _hosts.Operator() with
        {
            Endpoint = new HostEndpoint(SshdFixture.Address, 22, SshdFixture.PasswordSudoUser, useSudo: false),
            Credentials = HostCredentials.FromPassword(sshd.PasswordSudoUserPassword),
        };

        await using var session = await _hosts.Connector().ConnectAsync(target);

        Assert.Equal(SshdFixture.PasswordSudoUser + "\n", (await session.RunAsync(Command.Of("id", "-un"))).StandardOutput);
    }
}
