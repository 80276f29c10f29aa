using Superbridge.Core.Commands;
using Superbridge.Core.Model;
using Superbridge.Lab;
using Superbridge.Ssh.Connections;
using Superbridge.Ssh.Execution;
using Superbridge.Ssh.Tests.Lab;

namespace Superbridge.Ssh.Tests.Execution;

/// <summary>A command past its timeout is stopped on the lab host itself, not only abandoned with its SSH channel.</summary>
[Collection(LabCollection.Name)]
public sealed class RemoteTimeoutLabTests(LabFixture fixture)
{
    private readonly LabEnvironment _lab = fixture.Lab;

    private HostTarget Target(LabHost host, bool sudo) => new(
        host.Name,
        sudo ? HostEndpoint.SudoUser(host.Address, host.Users.Sudo, host.Port) : HostEndpoint.Root(host.Address, host.Port),
        HostCredentials.FromKeyFile(_lab.Description.KeyPath),
        HostKeyPolicy.Pin(host.HostKeyFingerprint));

    /// <summary>The host's processes whose command line matches <paramref name="pattern"/> (a regex that does not match itself).</summary>
    private async Task<string> ProcessesOnHost(LabHost host, string pattern)
    {
        var result = await _lab.RunOnHostAsync(host, ["pgrep", "-af", pattern]);
        return result.StandardOutput.Trim();
    }

    [Theory]
    [InlineData(false, "sleep 13.1{0} & sleep 14.1{0}; echo never", "TERM, exit 124)")]
    [InlineData(true, "sleep 13.2{0} & sleep 14.2{0}; echo never", "TERM, exit 124)")]
    [InlineData(false, "trap '' TERM; sleep 13.3{0} & sleep 14.3{0}; echo never", "KILL 5 s after TERM did not end it, ")]
    [InlineData(true, "trap '' TERM; sleep 13.4{0} & sleep 14.4{0}; echo never", "KILL 5 s after TERM did not end it, ")]
    public async Task A_command_past_its_timeout_is_gone_from_the_host_with_its_children(bool sudo, string script, string how)
    {
        var host = _lab.Host(3);
        var marker = Random.Shared.Next(1000, 9999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var pattern = $"slee[p] 1[34]\\.[1-4]{marker}";
        await using var pool = SshConnectionPool.Create(new SshOptions { ConnectTimeout = TimeSpan.FromSeconds(5), CommandTimeout = TimeSpan.FromSeconds(30) });

        var e = await Assert.ThrowsAsync<SshFailureException>(() =>
            pool.RunAsync(Target(host, sudo), Command.Of("sh", "-c", string.Format(System.Globalization.CultureInfo.InvariantCulture, script, marker)),
                new RunOptions { Timeout = TimeSpan.FromSeconds(1) }));

        Assert.Equal(SshFailureReason.Timeout, e.Reason);
        // KILL also hits `timeout` itself: the session reports signal KILL, or exit 137 where a shell stood between.
        Assert.Contains($"did not finish within 1 s; the host's `timeout` stopped it ({how}", e.Message);
        Assert.Equal("", await ProcessesOnHost(host, pattern));
    }
}
