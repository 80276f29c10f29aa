using Superbridge.Core.Commands;
using Superbridge.Lab;
using Superbridge.Ssh.Audit;
using Superbridge.Ssh.Connections;
using Superbridge.Ssh.Tests.Lab;
using Superbridge.Ssh.Tests.Support;

namespace Superbridge.Ssh.Tests.Connections;

/// <summary>The connection layer against the shared sandbox lab (its hosts, key and published fingerprints).</summary>
[Collection(LabCollection.Name)]
public sealed class LabHostsTests(LabFixture fixture)
{
    private readonly LabEnvironment _lab = fixture.Lab;

    [Fact]
    public async Task Probing_each_lab_host_returns_the_fingerprint_the_lab_published()
    {
        var connector = new SshConnector(TestHosts.FastOptions, TimeProvider.System, NullAuditSink.Instance);

        foreach (var host in _lab.Hosts)
        {
            var key = await connector.ProbeHostKeyAsync(HostEndpoint.Root(host.Address, host.Port));

            Assert.Equal(host.HostKeyFingerprint, key.Fingerprint.Value);
        }
    }

    [Fact]
    public async Task The_pool_reaches_every_lab_host_as_root_at_once()
    {
        await RefreshAndRun(host => HostEndpoint.Root(host.Address, host.Port));
    }

    [Fact]
    public async Task The_pool_reaches_every_lab_host_as_the_sudo_user_running_as_root()
    {
        await RefreshAndRun(host => HostEndpoint.SudoUser(host.Address, host.Users.Sudo, host.Port));
    }

    private async Task RefreshAndRun(Func<LabHost, HostEndpoint> endpoint)
    {
        await using var pool = SshConnectionPool.Create(TestHosts.FastOptions);
        var targets = _lab.Hosts.Select(host => Target(host, host.Name, endpoint(host))).ToArray();

        var statuses = await pool.CheckAllAsync(targets);

        Assert.All(statuses, s => Assert.True(s.IsOnline, s.Failure?.ToString()));
        var answers = await Task.WhenAll(targets.Select(t => pool.RunAsync(t, Command.Of("sh", "-c", "echo \"$(id -u) $(hostname)\""))));
        Assert.Equal(_lab.Hosts.Select(h => $"0 {h.Name}\n"), answers.Select(a => a.StandardOutput));
    }

    private HostTarget Target(LabHost host, string id, HostEndpoint endpoint) =>
        new(id, endpoint, HostCredentials.FromKeyFile(_lab.Description.KeyPath), HostKeyPolicy.Pin(host.HostKeyFingerprint));
}

