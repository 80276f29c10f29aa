using Superbridge.Core.Model;
using Superbridge.Ssh.Audit;
using Superbridge.Ssh.Connections;

namespace Superbridge.Ssh.Tests.Support;

/// <summary>Targets on the fixture's sshd, and connectors with short timeouts and an in-memory audit.</summary>
internal sealed class TestHosts(SshdFixture sshd)
{
    public InMemoryAuditSink Audit { get; } = new();

    public static SshOptions FastOptions { get; } = new()
    {
        ConnectTimeout = TimeSpan.FromSeconds(3),
        CommandTimeout = TimeSpan.FromSeconds(20),
    };

    public SshConnector Connector(SshOptions? options = null, TimeProvider? time = null) =>
        new(options ?? FastOptions, time ?? TimeProvider.System, Audit);

    public HostKeyFingerprint Fingerprint => HostKeyFingerprint.Parse(sshd.HostKeyFingerprintFromSshKeygen());

    public HostTarget Root(int port = 22, string id = "h1") => new(
        new HostId(id),
        HostEndpoint.Root(SshdFixture.Address, port),
        HostCredentials.FromKeyFile(sshd.RootKeyPath),
        HostKeyPolicy.Pin(Fingerprint));

    public HostTarget Operator() => new(
        new HostId("op"),
        HostEndpoint.SudoUser(SshdFixture.Address, SshdFixture.OperatorUser),
        HostCredentials.FromPassword(sshd.OperatorPassword),
        HostKeyPolicy.Pin(Fingerprint));

    public HostTarget Silent(string id = "silent") => new(
        new HostId(id),
        HostEndpoint.Root(SshdFixture.SilentAddress),
        HostCredentials.FromKeyFile(sshd.RootKeyPath),
        HostKeyPolicy.Pin(Fingerprint));
}

/// <summary>A clock whose wall time is fixed (monotonic time stays real, so timeouts still work).</summary>
internal sealed class FixedWallClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
