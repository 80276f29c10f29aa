using Superbridge.Lab;
using static Superbridge.Ssh.Tests.Lab.LabSshAccessTests;

namespace Superbridge.Ssh.Tests.Lab;

/// <summary>The hosts of <c>lab/up --firewall-hosts</c>: iptables shaped like a Docker host's, dropping what
/// nobody asked for but SSH.</summary>
[Collection(LabCollection.Name)]
public sealed class LabFirewalledHostTests(LabFixture fixture)
{
    private readonly LabEnvironment _lab = fixture.Lab;

    private LabHost Firewalled => Assert.Single(_lab.Description.FirewalledHosts);

    [Fact]
    public async Task Firewalled_host_answers_ssh_and_has_docker_chains_with_input_and_forward_dropping()
    {
        var host = Firewalled;
        Assert.Equal("docker-like", host.Firewall);

        var rules = (await _lab.SshAsRootAsync(host, "hostname; iptables -S; sysctl -n net.ipv4.ip_forward")).EnsureSuccess();

        var lines = Lines(rules.StandardOutput);
        Assert.Equal(host.Name, lines[0]);
        Assert.Contains("-P INPUT DROP", lines);
        Assert.Contains("-P FORWARD DROP", lines);
        Assert.Contains("-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT", lines);
        Assert.Equal("-A FORWARD -j DOCKER-USER", lines.First(line => line.StartsWith("-A FORWARD ", StringComparison.Ordinal)));
        Assert.Contains("-N DOCKER-ISOLATION-STAGE-1", lines);
        Assert.Equal("1", lines[^1]);
    }

    [Fact]
    public async Task Firewalled_host_drops_an_unsolicited_ping_and_udp_datagram_from_another_host()
    {
        var host = Firewalled;
        var other = _lab.Host(1);

        var ping = await _lab.SshAsRootAsync(other, $"busybox ping -c 2 -W 1 {host.Address}");
        var (listenerSaw, senderSaw) = await LabUdpProbe.SendAsync(_lab, other, host, host.Address, 47003, seconds: 3);

        Assert.Equal(1, ping.ExitCode);
        Assert.Contains("0 packets received", ping.StandardOutput);
        Assert.Equal(("nothing", "nothing"), (listenerSaw, senderSaw));
    }

    [Fact]
    public async Task Firewalled_host_still_reaches_other_hosts_because_their_replies_are_established()
    {
        var host = Firewalled;
        var other = _lab.Host(1);

        var ping = await _lab.SshAsRootAsync(host, $"busybox ping -c 1 -W 2 {other.Address}");
        var (listenerSaw, senderSaw) = await LabUdpProbe.SendAsync(_lab, host, other, other.Address, 47004);

        Assert.Equal(0, ping.ExitCode);
        Assert.Equal((host.Address, other.Address), (listenerSaw, senderSaw));
    }
}
