using System.Diagnostics;
using Superbridge.Core.Model;
using Superbridge.Lab;
using Superbridge.Ssh.Connections;
using Superbridge.Ssh.Inventory;
using Superbridge.Ssh.Tests.Lab;

namespace Superbridge.Ssh.Tests.Inventory;

/// <summary>The inventory against the sandbox lab: real sshd, real LXC containers, real kernel.</summary>
[Collection(LabCollection.Name)]
public sealed class HostInventoryLabTests(LabFixture fixture)
{
    private static readonly SshOptions Fast = new() { ConnectTimeout = TimeSpan.FromSeconds(2), CommandTimeout = TimeSpan.FromSeconds(30) };
    private readonly LabEnvironment _lab = fixture.Lab;

    private InventoryTarget Target(LabHost host, bool sudo = false) => new(
        new HostTarget(
            host.Name,
            sudo ? HostEndpoint.SudoUser(host.Address, host.Users.Sudo, host.Port) : HostEndpoint.Root(host.Address, host.Port),
            HostCredentials.FromKeyFile(_lab.Description.KeyPath),
            HostKeyPolicy.Pin(host.HostKeyFingerprint)),
        host.Address);

    private static async Task<HostInventoryResult.Online> RefreshOnline(HostInventoryService service, InventoryTarget target, IReadOnlyDictionary<string, HostId>? hosts = null)
    {
        var result = await service.RefreshAsync(target, hosts);
        return result as HostInventoryResult.Online
            ?? throw new Xunit.Sdk.XunitException($"{target.Id} is offline: {(result as HostInventoryResult.Offline)?.Failure}");
    }

    [Fact]
    public async Task Inventory_of_the_first_lab_host_lists_exactly_its_two_containers_with_their_states()
    {
        await using var pool = SshConnectionPool.Create(Fast);
        var host = _lab.Host(1);

        var online = await RefreshOnline(new HostInventoryService(pool, TimeProvider.System), Target(host));

        Assert.Empty(online.Problems);
        Assert.Equal(host.Name, online.Host.Hostname);
        Assert.Equal(host.Containers.Order(), online.Inventory.Containers.Select(c => c.Name).Order());
        Assert.All(online.Inventory.Containers, c =>
        {
            Assert.Equal("RUNNING", c.State);
            Assert.False(c.Autostart);
            Assert.StartsWith("veth", c.HostVeth);
        });
    }

    [Fact]
    public async Task Features_say_vxlan_but_neither_gretap_nor_l2tpv3_on_this_kernel()
    {
        await using var pool = SshConnectionPool.Create(Fast);

        var online = await RefreshOnline(new HostInventoryService(pool, TimeProvider.System), Target(_lab.Host(1)));

        Assert.Equal(new InventoryFeatures(Gretap: false, L2tpv3: false, Vxlan: true, Lxc: true), online.Inventory.Features);
        Assert.Empty(online.Inventory.Tunnels);
        Assert.Equal(_lab.Description.Underlay.Mtu, online.Inventory.UnderlayMtu);
        Assert.Equal("eth0", online.Inventory.UnderlayDevice);
    }

    [Fact]
    public async Task Every_lab_host_answers_as_root_and_as_the_sudo_user_with_every_section_read()
    {
        await using var pool = SshConnectionPool.Create(Fast);
        var service = new HostInventoryService(pool, TimeProvider.System);

        var asRoot = await service.RefreshAllAsync(_lab.Hosts.Select(h => Target(h)));
        await pool.DisposeAsync();
        await using var sudoPool = SshConnectionPool.Create(Fast);
        var asSudo = await new HostInventoryService(sudoPool, TimeProvider.System).RefreshAllAsync(_lab.Hosts.Select(h => Target(h, sudo: true)));

        foreach (var results in new[] { asRoot, asSudo })
        {
            Assert.Equal(_lab.Hosts.Select(h => new HostId(h.Name)), results.Select(r => r.HostId));
            Assert.All(results, r =>
            {
                var online = Assert.IsType<HostInventoryResult.Online>(r);
                Assert.Empty(online.Problems);
                Assert.Equal(r.HostId.Value, online.Host.Hostname);
            });
        }
    }

    [Fact]
    public async Task A_new_bridge_shows_its_vxlan_as_a_tunnel_to_the_peer_host_and_an_attached_container_by_name()
    {
        var host = _lab.Host(1);
        var peer = _lab.Host(2);
        var container = host.Containers[^1];
        await using var pool = SshConnectionPool.Create(Fast);
        var service = new HostInventoryService(pool, TimeProvider.System);
        var hosts = HostInventoryService.UnderlayMap(_lab.Hosts.Select(h => Target(h)));
        const string Bridge = "sbinvt-br0", Vxlan = "sbinvt-vx0";
        try
        {
            (await _lab.SshAsRootAsync(host,
                $"ip link add {Bridge} type bridge && ip link set {Bridge} mtu 1450 up && " +
                $"ip link add {Vxlan} type vxlan id 4343 local {host.Address} remote {peer.Address} dstport 4789 dev eth0 && " +
                $"ip link set {Vxlan} master {Bridge} up")).EnsureSuccess();

            var before = await RefreshOnline(service, Target(host), hosts);

            var bridge = Assert.Single(before.Inventory.Bridges, b => b.Name == Bridge);
            Assert.Equal(1450, bridge.Mtu);
            var tunnel = Assert.Single(bridge.Members);
            Assert.Equal((Vxlan, InventoryMemberKind.Tunnel, "vxlan", (HostId?)peer.Name, peer.Address), (tunnel.Name, tunnel.Kind, tunnel.LinkKind, tunnel.PeerHostId, tunnel.PeerAddress));
            Assert.Equal((4343u, Bridge, (HostId?)peer.Name), Assert.Single(before.Inventory.Tunnels, t => t.Device == Vxlan) is var t ? (t.Vni!.Value, t.Bridge!, t.PeerHostId) : default);

            (await _lab.SshAsRootAsync(host,
                $"ip link set \"$(lxc-info -n {container} | awk '/^Link:/ {{ print $2 }}')\" master {Bridge}")).EnsureSuccess();

            var after = await RefreshOnline(service, Target(host), hosts);

            var members = Assert.Single(after.Inventory.Bridges, b => b.Name == Bridge).Members;
            Assert.Equal(2, members.Length);
            var attached = Assert.Single(members, m => m.Kind == InventoryMemberKind.Container);
            Assert.Equal(container, attached.Container);
            Assert.Equal(after.Inventory.Containers.Single(c => c.Name == container).HostVeth, attached.Name);
            Assert.Equal(Bridge, after.Inventory.Containers.Single(c => c.Name == container).Bridge);
            Assert.Equal(before.ConnectionId, after.ConnectionId);
        }
        finally
        {
            await _lab.SshAsRootAsync(host,
                $"ip link set \"$(lxc-info -n {container} | awk '/^Link:/ {{ print $2 }}')\" nomaster; ip link del {Vxlan}; ip link del {Bridge}; true");
        }
        var cleaned = await RefreshOnline(service, Target(host), hosts);
        Assert.DoesNotContain(cleaned.Inventory.Bridges, b => b.Name == Bridge);
    }

    [Fact]
    public async Task Unreachable_hosts_are_offline_within_their_timeout_while_the_lab_hosts_come_back_online()
    {
        await using var pool = SshConnectionPool.Create(Fast);
        var service = new HostInventoryService(pool, TimeProvider.System, new InventoryOptions { PerHostTimeout = TimeSpan.FromSeconds(3) });
        // Addresses on the lab's underlay without a namespace behind them: nobody answers ARP there.
        var dead = new[] { "198.51.100.199", "198.51.100.198" }.Select(address => new InventoryTarget(
            new HostTarget($"dead-{address}", HostEndpoint.Root(address), HostCredentials.FromKeyFile(_lab.Description.KeyPath),
                HostKeyPolicy.Pin(_lab.Host(1).HostKeyFingerprint)))).ToArray();

        var watch = Stopwatch.StartNew();
        var results = await service.RefreshAllAsync([.. _lab.Hosts.Select(h => Target(h)), .. dead]);
        watch.Stop();

        var offline = results.OfType<HostInventoryResult.Offline>().ToArray();
        Assert.Equal(dead.Select(d => d.Id), offline.Select(o => o.HostId));
        Assert.All(offline, o => Assert.Contains(o.Reason, new[] { SshFailureReason.Timeout, SshFailureReason.Refused }));
        Assert.All(results.Take(_lab.Hosts.Count), r => Assert.IsType<HostInventoryResult.Online>(r));
        // About one connect timeout (2 s), not one per dead host.
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(3.5));
        Assert.All(results.Take(_lab.Hosts.Count), r => Assert.True(r.Duration < TimeSpan.FromSeconds(2), $"{r.HostId} took {r.Duration}"));
    }

    [Fact]
    public async Task A_second_refresh_reuses_the_pooled_connection()
    {
        await using var pool = SshConnectionPool.Create(Fast);
        var service = new HostInventoryService(pool, TimeProvider.System);

        var first = await RefreshOnline(service, Target(_lab.Host(2)));
        var second = await RefreshOnline(service, Target(_lab.Host(2)));

        Assert.Equal(first.ConnectionId, second.ConnectionId);
        Assert.Equal(_lab.Host(2).HostKeyFingerprint, second.HostKey.Fingerprint.Value);
    }
}
