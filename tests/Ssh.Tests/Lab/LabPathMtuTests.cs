using Superbridge.Lab;
using static Superbridge.Ssh.Tests.Lab.LabSshAccessTests;

namespace Superbridge.Ssh.Tests.Lab;

/// <summary><c>lab/path-mtu</c>: the underlay path between two hosts drops IPv4 packets longer than the MTU, in both
/// directions and without telling anyone (no ICMP), while both hosts still see MTU 1500 on eth0.</summary>
[Collection(LabCollection.Name)]
public sealed class LabPathMtuTests(LabFixture fixture)
{
    private const int Mtu = 1400;
    // An ICMP echo's IP packet is its payload plus 8 bytes of ICMP and 20 of IP header.
    private const int FittingPayload = Mtu - 28;

    private readonly LabEnvironment _lab = fixture.Lab;

    public static TheoryData<string> Peers => new() { "plain", "nat" };

    [Theory]
    [MemberData(nameof(Peers))]
    public async Task A_df_ping_of_the_mtu_crosses_both_ways_one_byte_more_does_not_until_the_path_is_cleared(string peerKind)
    {
        var a = _lab.Host(1);
        var b = peerKind == "nat" ? Assert.Single(_lab.Description.NatHosts) : _lab.Host(2);
        try
        {
            await PathMtuAsync(a, b, $"{Mtu}");

            Assert.True(await PingsAsync(a, b.PublicAddress, FittingPayload), $"{FittingPayload} bytes {a.Name} -> {b.Name}");
            Assert.True(await PingsAsync(b, a.PublicAddress, FittingPayload), $"{FittingPayload} bytes {b.Name} -> {a.Name}");
            Assert.False(await PingsAsync(a, b.PublicAddress, FittingPayload + 1), $"{FittingPayload + 1} bytes {a.Name} -> {b.Name}");
            Assert.False(await PingsAsync(b, a.PublicAddress, FittingPayload + 1), $"{FittingPayload + 1} bytes {b.Name} -> {a.Name}");
            Assert.True(await PingsAsync(a, _lab.Host(3).Address, FittingPayload + 1), "other paths keep MTU 1500");
            Assert.Equal("1500", await Eth0MtuAsync(a));
            Assert.Equal("1500", await Eth0MtuAsync(b));

            await PathMtuAsync(b, a, "clear");

            Assert.True(await PingsAsync(a, b.PublicAddress, FittingPayload + 1), $"after clear, {a.Name} -> {b.Name}");
            Assert.True(await PingsAsync(b, a.PublicAddress, FittingPayload + 1), $"after clear, {b.Name} -> {a.Name}");
        }
        finally
        {
            await PathMtuAsync(a, b, "clear");
        }
    }

    /// <summary>Hosts that believe their eth0's 1500 lose a TCP download on the path (a blackhole); with a route MTU
    /// that fits they get it whole. That also shows the filter judges packets as a wire carries them, not the
    /// sender's 64 KB offload batches (lab/path-mtu makes the senders cut those themselves).</summary>
    [Fact]
    public async Task A_tcp_download_blackholes_at_mtu_1500_and_arrives_when_the_hosts_route_mtu_fits_the_path()
    {
        var (client, server) = (_lab.Host(1), _lab.Host(2));
        var www = $"{_lab.Description.StateDir}/sbtest-www";
        var url = $"http://{server.Address}:47080/blob";
        try
        {
            (await _lab.SshAsRootAsync(server, $"mkdir -p {www} && head -c 300000 /dev/urandom > {www}/blob && busybox httpd -p {server.Address}:47080 -h {www}")).EnsureSuccess();
            await PathMtuAsync(client, server, $"{Mtu}");

            var blackholed = await _lab.SshAsRootAsync(client, $"timeout 5 busybox wget -q -O - {url} | wc -c");
            (await _lab.SshAsRootAsync(client, $"ip route add {server.Address}/32 dev eth0 mtu {Mtu}")).EnsureSuccess();
            (await _lab.SshAsRootAsync(server, $"ip route add {client.Address}/32 dev eth0 mtu {Mtu}")).EnsureSuccess();
            var fitting = (await _lab.SshAsRootAsync(client, $"timeout 20 busybox wget -q -O - {url} | wc -c")).EnsureSuccess();

            Assert.NotEqual("300000", blackholed.StandardOutput.Trim());
            Assert.Equal("300000", fitting.StandardOutput.Trim());
        }
        finally
        {
            await PathMtuAsync(client, server, "clear");
            await _lab.SshAsRootAsync(client, $"ip route del {server.Address}/32 dev eth0 mtu {Mtu}");
            await _lab.SshAsRootAsync(server, $"ip route del {client.Address}/32 dev eth0 mtu {Mtu}");
            await _lab.SshAsRootAsync(server, $"pkill -f 'busybox httpd -p {server.Address}:47080'; rm -rf {www}");
        }
    }

    private async Task PathMtuAsync(LabHost a, LabHost b, string mtu) =>
        (await LabProcess.RunAsync(Path.Combine(_lab.RepositoryRoot, "lab", "path-mtu"), [a.Name, b.Name, mtu])).EnsureSuccess();

    // iputils ping: -M do sets don't-fragment and refuses to fragment locally.
    private async Task<bool> PingsAsync(LabHost from, string to, int payload) =>
        (await _lab.SshAsRootAsync(from, $"ping -M do -c 1 -W 2 -s {payload} {to}")).ExitCode == 0;

    private async Task<string> Eth0MtuAsync(LabHost host) =>
        Lines((await _lab.SshAsRootAsync(host, "cat /sys/class/net/eth0/mtu")).EnsureSuccess().StandardOutput)[0];
}
