using Superbridge.Core.Commands;
using Superbridge.Ssh.Connections;
using Superbridge.Ssh.Tests.Support;

namespace Superbridge.Ssh.Tests.Connections;

[Collection(SshdCollection.Name)]
public sealed class AuthenticationTests(SshdFixture sshd)
{
    private readonly TestHosts _hosts = new(sshd);

    [Fact]
    public async Task A_password_logs_in()
    {
        await using var session = await _hosts.Connector().ConnectAsync(_hosts.Operator());

        var result = await session.RunAsync(Command.Of("id", "-u"));

        Assert.Equal("0\n", result.StandardOutput);
    }

    [Fact]
    public async Task A_wrong_password_fails_as_AuthFailed_naming_the_user()
    {
        var target = _hosts.Operator() with { Credentials = HostCredentials.FromPassword("not the password") };

        var e = await Assert.ThrowsAsync<SshFailureException>(() => _hosts.Connector().ConnectAsync(target));

        Assert.Equal(SshFailureReason.AuthFailed, e.Reason);
        Assert.Contains($"refused the login as {SshdFixture.OperatorUser}", e.Message);
        Assert.Contains("Permission denied", e.Message);
    }

    [Fact]
    public async Task A_key_the_host_does_not_know_fails_as_AuthFailed()
    {
        var target = _hosts.Root() with { Credentials = HostCredentials.FromKeyFile(sshd.StrangerKeyPath) };

        var e = await Assert.ThrowsAsync<SshFailureException>(() => _hosts.Connector().ConnectAsync(target));

        Assert.Equal(SshFailureReason.AuthFailed, e.Reason);
        Assert.Contains("refused the login as root", e.Message);
    }

    [Fact]
    public async Task A_pasted_openssh_key_with_its_passphrase_logs_in()
    {
        var pasted = File.ReadAllText(sshd.OperatorKeyPath).Replace("\n", "\r\n") + "\r\n\r\n";
        var target = _hosts.Operator() with { Credentials = HostCredentials.FromKeyText(pasted, SshdFixture.KeyPassphrase) };

        await using var session = await _hosts.Connector().ConnectAsync(target);

        Assert.Equal("0\n", (await session.RunAsync(Command.Of("id", "-u"))).StandardOutput);
    }

    [Fact]
    public async Task A_pasted_key_with_a_wrong_passphrase_fails_as_AuthFailed_saying_the_key_could_not_be_read()
    {
        var target = _hosts.Operator() with { Credentials = HostCredentials.FromKeyText(File.ReadAllText(sshd.OperatorKeyPath), "wrong") };

        var e = await Assert.ThrowsAsync<SshFailureException>(() => _hosts.Connector().ConnectAsync(target));

        Assert.Equal(SshFailureReason.AuthFailed, e.Reason);
        Assert.Contains("the pasted private key could not be read", e.Message);
    }

    [Fact]
    public async Task An_encrypted_key_without_passphrase_fails_as_AuthFailed_asking_for_it()
    {
        var target = _hosts.Operator() with { Credentials = HostCredentials.FromKeyFile(sshd.OperatorKeyPath) };

        var e = await Assert.ThrowsAsync<SshFailureException>(() => _hosts.Connector().ConnectAsync(target));

        Assert.Equal(SshFailureReason.AuthFailed, e.Reason);
        Assert.Contains("is encrypted and no passphrase was given", e.Message);
    }

    [Fact]
    public async Task A_pem_rsa_key_file_logs_in()
    {
        var target = _hosts.Root() with { Credentials = HostCredentials.FromKeyFile(sshd.PemKeyPath) };

        await using var session = await _hosts.Connector().ConnectAsync(target);

        Assert.Equal("root\n", (await session.RunAsync(Command.Of("id", "-un"))).StandardOutput);
    }

    [Fact]
    public void Credentials_never_print_their_secrets()
    {
        var texts = new[]
        {
            HostCredentials.FromPassword("hunter2").ToString(),
            HostCredentials.FromKeyFile("/keys/id", "hunter2").ToString(),
            HostCredentials.FromKeyText("-----BEGIN OPENSSH PRIVATE KEY-----hunter2", "hunter2").ToString(),
        };

        Assert.All(texts, t => Assert.DoesNotContain("hunter2", t));
        Assert.Equal("KeyFile(/keys/id, passphrase ***)", texts[1]);
    }
}
