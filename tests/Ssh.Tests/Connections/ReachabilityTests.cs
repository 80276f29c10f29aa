using System.Diagnostics;
using Superbridge.Ssh.Connections;
using Superbridge.Ssh.Tests.Support;

namespace Superbridge.Ssh.Tests.Connections;

[Collection(SshdCollection.Name)]
public sealed class ReachabilityTests(SshdFixture sshd)
{
    private readonly TestHosts _hosts = new(sshd);

    [Fact]
    public async Task A_closed_port_is_reported_as_Refused()
    {
        var target = _hosts.Root(port: 2299);

        var e = await Assert.ThrowsAsync<SshFailureException>(() => _hosts.Connector().ConnectAsync(target));

        Assert.Equal(SshFailureReason.Refused, e.Reason);
        Assert.Contains("198.51.100.202:2299 refused", e.Message);
    }

    [Fact]
    public async Task A_silent_address_times_out_within_the_connect_timeout()
    {
        var options = TestHosts.FastOptions with { ConnectTimeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();

        var e = await Assert.ThrowsAsync<SshFailureException>(() => _hosts.Connector(options).ConnectAsync(_hosts.Silent()));

        Assert.Equal(SshFailureReason.Timeout, e.Reason);
        Assert.Contains("No answer from 198.51.100.199:22 within 2 s", e.Message);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.9), TimeSpan.FromSeconds(3.5));
    }

    [Fact]
    public async Task Probing_a_silent_address_times_out_too()
    {
        var options = TestHosts.FastOptions with { ConnectTimeout = TimeSpan.FromSeconds(1) };

        var e = await Assert.ThrowsAsync<SshFailureException>(() => _hosts.Connector(options).ProbeHostKeyAsync(HostEndpoint.Root(SshdFixture.SilentAddress)));

        Assert.Equal(SshFailureReason.Timeout, e.Reason);
    }
}
