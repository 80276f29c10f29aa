using Superbridge.Lab;
using static Superbridge.Ssh.Tests.Lab.LabSshAccessTests;

namespace Superbridge.Ssh.Tests.Lab;

/// <summary>The hosts of <c>lab/up --nat-hosts</c>: like a cloud machine with a 1:1 public address, the host holds
/// only its private address; SSH, the other hosts and upstream know it by its public one.</summary>
[Collection(LabCollection.Name)]
public sealed class LabNatHostTests(LabFixture fixture)
{
    private readonly LabEnvironment _lab = fixture.Lab;

    private LabHost NatHost => Assert.Single(_lab.Description.NatHosts);

    [Fact]
    public async Task Nat_host_holds_only_its_private_address_and_answers_ssh_on_its_public_one()
    {
        var host = NatHost;
        Assert.Equal(host.PublicAddress, host.Address);
        Assert.NotEqual(host.PublicAddress, host.PrivateAddress);

        var seen = (await _lab.SshAsRootAsync(host, "hostname; ip -4 -o addr show | awk '{ print $2, $4 }'; ip route show default")).EnsureSuccess();

        var lines = Lines(seen.StandardOutput);
        Assert.Equal(host.Name, lines[0]);
        Assert.Equal(["lo 127.0.0.1/8", $"eth0 {host.PrivateAddress}/24"], lines[1..^1]);
        Assert.StartsWith("default via 192.0.2.254 dev eth0", lines[^1]);
    }

    [Fact]
    public async Task Upstream_sees_the_nat_host_as_its_public_address()
    {
        var host = NatHost;

        var seen = (await _lab.SshAsRootAsync(host, $"busybox wget -q -O - {_lab.Description.Upstream.WhoamiUrl}")).EnsureSuccess();

        Assert.Equal(host.PublicAddress, seen.StandardOutput.Trim());
    }

    [Fact]
    public async Task Udp_crosses_the_nat_both_ways_and_the_far_side_sees_the_nat_hosts_public_address()
    {
        var host = NatHost;
        var plain = _lab.Host(1);

        var inbound = await LabUdpProbe.SendAsync(_lab, plain, host, host.PublicAddress, 47001);
        var outbound = await LabUdpProbe.SendAsync(_lab, host, plain, plain.Address, 47002);

        Assert.Equal((plain.Address, host.PublicAddress), inbound);
        Assert.Equal((host.PublicAddress, plain.Address), outbound);
    }
}
