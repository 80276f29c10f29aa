using Superbridge.Core.Commands;
using Superbridge.Core.Model;
using Superbridge.Ssh.Connections;
using Superbridge.Ssh.Tests.Support;

namespace Superbridge.Ssh.Tests.Connections;

[Collection(SshdCollection.Name)]
public sealed class HostKeyPinningTests(SshdFixture sshd)
{
    private readonly TestHosts _hosts = new(sshd);

    [Fact]
    public async Task Probing_a_host_returns_the_fingerprint_ssh_keygen_prints()
    {
        var key = await _hosts.Connector().ProbeHostKeyAsync(HostEndpoint.Root(SshdFixture.Address));

        Assert.Equal(sshd.HostKeyFingerprintFromSshKeygen(), key.Fingerprint.Value);
        Assert.Equal("ssh-ed25519", key.Algorithm);
        Assert.Equal(256, key.Bits);
    }

    [Fact]
    public async Task Probing_runs_nothing_and_needs_no_credentials()
    {
        var key = await _hosts.Connector().ProbeHostKeyAsync(new HostEndpoint(SshdFixture.Address, 22, "nobody-at-all", useSudo: false));

        Assert.Equal(_hosts.Fingerprint, key.Fingerprint);
        Assert.Empty(_hosts.Audit.Entries);
    }

    [Fact]
    public async Task Connecting_with_the_pinned_fingerprint_opens_a_session()
    {
        await using var session = await _hosts.Connector().ConnectAsync(_hosts.Root());

        var result = await session.RunAsync(Command.Of("id", "-un"));

        Assert.Equal("root\n", result.StandardOutput);
        Assert.Equal(_hosts.Fingerprint, session.HostKey.Fingerprint);
    }

    [Fact]
    public async Task A_changed_host_key_is_refused_before_login_and_the_message_shows_both_fingerprints()
    {
        var pinned = HostKeyFingerprint.Parse("SHA256:" + new string('A', 43));
        var target = _hosts.Root() with { HostKey = HostKeyPolicy.Pin(pinned) };
        var acceptedBefore = AcceptedLogins();

        var e = await Assert.ThrowsAsync<SshFailureException>(() => _hosts.Connector().ConnectAsync(target));

        Assert.Equal(SshFailureReason.HostKeyChanged, e.Reason);
        Assert.Contains(pinned.Value, e.Message);
        Assert.Contains(_hosts.Fingerprint.Value, e.Message);
        Assert.Equal(pinned, e.Failure.ExpectedFingerprint);
        Assert.Equal(_hosts.Fingerprint, e.Failure.PresentedKey?.Fingerprint);
        Assert.Empty(_hosts.Audit.Entries);
        Assert.Equal(acceptedBefore, AcceptedLogins());
    }

    [Fact]
    public async Task Trust_on_first_use_connects_and_reports_the_key_to_pin()
    {
        var target = _hosts.Root() with { HostKey = HostKeyPolicy.TrustOnFirstUse };

        await using var session = await _hosts.Connector().ConnectAsync(target);

        Assert.Equal(sshd.HostKeyFingerprintFromSshKeygen(), session.HostKey.Fingerprint.Value);
    }

    [Fact]
    public async Task Opening_a_session_without_a_confirmed_key_is_refused_as_unconfirmed_and_shows_the_key()
    {
        var target = _hosts.Root() with { HostKey = HostKeyPolicy.ProbeOnly };

        var e = await Assert.ThrowsAsync<SshFailureException>(() => _hosts.Connector().ConnectAsync(target));

        Assert.Equal(SshFailureReason.HostKeyUnconfirmed, e.Reason);
        Assert.Contains(_hosts.Fingerprint.Value, e.Message);
        Assert.Equal(_hosts.Fingerprint, e.Failure.PresentedKey?.Fingerprint);
        Assert.Empty(_hosts.Audit.Entries);
    }

    private int AcceptedLogins() =>
        File.ReadLines(sshd.LogPath).Count(l => l.Contains("Accepted ", StringComparison.Ordinal));
}
