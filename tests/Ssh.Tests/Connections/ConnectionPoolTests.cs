using System.Diagnostics;
using Superbridge.Core.Commands;
using Superbridge.Ssh.Connections;
using Superbridge.Ssh.Tests.Support;

namespace Superbridge.Ssh.Tests.Connections;

[Collection(SshdCollection.Name)]
public sealed class ConnectionPoolTests(SshdFixture sshd)
{
    private readonly TestHosts _hosts = new(sshd);

    private SshConnectionPool Pool(SshOptions? options = null) => new(_hosts.Connector(options), TimeProvider.System);

    [Fact]
    public async Task The_pool_reuses_one_connection_per_host()
    {
        await using var pool = Pool();
        var target = _hosts.Root();

        var first = await pool.GetAsync(target);
        await first.RunAsync(Command.Of("true"));
        var second = await pool.GetAsync(target);
        var other = await pool.GetAsync(_hosts.Root(port: 2201, id: "h2"));

        Assert.Same(first, second);
        Assert.Equal(first.ConnectionId, second.ConnectionId);
        Assert.NotEqual(first.ConnectionId, other.ConnectionId);
    }

    [Fact]
    public async Task The_pool_reconnects_after_sshd_drops_the_connection()
    {
        await using var pool = Pool();
        var target = _hosts.Root(port: 2202, id: "dropped");
        var before = await pool.GetAsync(target);
        await before.RunAsync(Command.Of("true"));

        Assert.True(sshd.DropConnections() > 0);
        await WaitUntil(() => !before.IsConnected, TimeSpan.FromSeconds(5));
        var after = await pool.GetAsync(target);

        Assert.NotEqual(before.ConnectionId, after.ConnectionId);
        Assert.Equal("root\n", (await after.RunAsync(Command.Of("id", "-un"))).StandardOutput);
    }

    [Fact]
    public async Task Pinning_the_key_after_trust_on_first_use_keeps_the_connection()
    {
        await using var pool = Pool();
        var tofu = _hosts.Root(id: "new") with { HostKey = HostKeyPolicy.TrustOnFirstUse };

        var first = await pool.GetAsync(tofu);
        var pinned = await pool.GetAsync(tofu with { HostKey = HostKeyPolicy.Pin(first.HostKey.Fingerprint) });

        Assert.Equal(first.ConnectionId, pinned.ConnectionId);
    }

    [Fact]
    public async Task Changed_credentials_open_a_new_connection()
    {
        await using var pool = Pool();
        var target = _hosts.Root(id: "rekeyed");

        var first = await pool.GetAsync(target);
        var second = await pool.GetAsync(target with { Credentials = HostCredentials.FromKeyFile(sshd.PemKeyPath) });

        Assert.NotEqual(first.ConnectionId, second.ConnectionId);
        Assert.False(first.IsConnected);
    }

    [Fact]
    public async Task Five_hosts_refresh_in_parallel_and_a_silent_one_costs_one_timeout_not_the_sum()
    {
        var timeout = TimeSpan.FromSeconds(3);
        await using var pool = Pool(TestHosts.FastOptions with { ConnectTimeout = timeout });
        HostTarget[] targets =
        [
            _hosts.Root(22, "p1"), _hosts.Root(2201, "p2"), _hosts.Silent("p3"), _hosts.Root(2202, "p4"), _hosts.Root(2203, "p5"),
        ];
        var clock = Stopwatch.StartNew();

        var statuses = await pool.CheckAllAsync(targets);

        Assert.True(clock.Elapsed < timeout + TimeSpan.FromSeconds(2), $"refresh took {clock.Elapsed}");
        Assert.Equal(["p1", "p2", "p3", "p4", "p5"], statuses.Select(s => s.Id.Value));
        Assert.Equal([true, true, false, true, true], statuses.Select(s => s.IsOnline));
        Assert.Equal(SshFailureReason.Timeout, statuses[2].Failure?.Reason);
        Assert.All(statuses.Where(s => s.IsOnline), s => Assert.Equal(_hosts.Fingerprint, s.HostKey?.Fingerprint));
    }

    [Fact]
    public async Task An_offline_host_reports_its_reason_and_the_key_it_showed()
    {
        await using var pool = Pool();
        var changed = _hosts.Root(id: "changed") with { HostKey = HostKeyPolicy.Pin("SHA256:" + new string('B', 43)) };

        var status = await pool.CheckAsync(changed);

        Assert.False(status.IsOnline);
        Assert.Equal(SshFailureReason.HostKeyChanged, status.Failure?.Reason);
        Assert.Equal(_hosts.Fingerprint, status.HostKey?.Fingerprint);
    }

    private static async Task WaitUntil(Func<bool> condition, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > limit) throw new TimeoutException($"Condition not met within {limit}.");
            await Task.Delay(50);
        }
    }
}
