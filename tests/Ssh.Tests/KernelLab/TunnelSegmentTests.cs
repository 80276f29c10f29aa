using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;
using Superbridge.Core.Allocation;
using Superbridge.Core.Model;
using Superbridge.Core.Observed;
using Superbridge.Lab;
using Superbridge.Operations;
using Superbridge.Ssh.Apply;
using Superbridge.Ssh.Audit;
using Superbridge.Ssh.Connections;
using Superbridge.Ssh.Inventory;
using Superbridge.Ssh.Tests.EndToEnd;
using Superbridge.Ssh.Tests.Lab;

namespace Superbridge.Ssh.Tests.KernelLab;

/// <summary>
/// gretap, L2TPv3 and VXLAN segments applied by the product (inventory, plan, apply, verification, teardown) between the
/// two VM hosts, whose kernel has the modules this machine lacks, and whose PID 1 is systemd on a disk that survives a
/// reboot: the segment comes back at boot with no dashboard, and is gone after a teardown and another reboot. VM1 routes (DHCP and NAT); VM2's busybox LXC container,
/// attached by the product, gets its lease across the tunnel and reaches the lab's upstream (203.0.113.1, a namespace of
/// the namespace lab) as VM1. The VMs route only the lab's ranges (lab/lib/vm-disk.sh). So the class is in the lab's
/// collection, whose fixture brings the namespace lab up first when the run did not (and holds the test-run lock for
/// both), and boots the VMs once for its tests.
/// </summary>
[Collection(LabCollection.Name)]
public sealed class TunnelSegmentTests(LabFixture lab, VmLabFixture vms) : IClassFixture<VmLabFixture>
{
    private readonly VmSegments _vm = new(lab, vms);

    [Theory]
    [InlineData("gretap")]
    [InlineData("l2tpv3-udp")]
    [InlineData("l2tpv3-ip")]
    [InlineData("vxlan")]
    public async Task Segment_between_the_vms_leases_fits_its_mtu_nats_as_vm1_comes_back_after_a_reboot_without_the_dashboard_and_is_gone_after_teardown_and_another(string transportName)
    {
        var transport = VmSegments.TransportOf(transportName);
        var (vm1, vm2) = (vms.Host(1), vms.Host(2));
        var container = vm2.Containers[0];
        // Modules stay loaded after a teardown (modprobe has no undo) and ip_gre adds gre0/gretap0/erspan0 to the
        // namespace: load them first so "before" and "after" compare what the segment changes. After a reboot they
        // are loaded again for the same reason.
        await _vm.LoadModulesAsync(vm1, vm2);

        var audit = new InMemoryAuditSink();
        var locks = new HostLocks();
        ImmutableArray<ApplyHost> hosts = [_vm.Host(vm1), _vm.Host(vm2)];
        var infos = hosts.ToDictionary(h => h.Id, h => h.Info);
        var bridge = "sbk" + transportName.Replace("l2tpv3-", "", StringComparison.Ordinal) + "0";
        var spec = _vm.Spec("k" + transportName, bridge, transport, vm1, vm2, container);
        var filesBefore = await _vm.FilesAsync(vm1, vm2);
        Dictionary<HostId, ObservedHost> before;
        Segment segment;
        await using (var dashboard = SshConnectionPool.Create(LabSegments.Options, TimeProvider.System, audit))
        {
            before = await VmSegments.ObserveAsync(new LabHostObserver(new HostInventoryService(dashboard, TimeProvider.System), hosts), hosts);
            Assert.All(before.Values, o => Assert.Equal(Persistence.Systemd, o.Boot.Persistence));
            var allocated = SegmentAllocator.Allocate(spec, infos, [], before);
            Assert.True(allocated.IsOk, string.Join("; ", allocated.Errors));
            segment = allocated.Value;
        }
        var events = new ConcurrentQueue<ApplyEvent>();
        var tornDown = false;
        try
        {
            await using (var first = SshConnectionPool.Create(LabSegments.Options, TimeProvider.System, audit))
            {
                var firstApplier = new LabApplier(first, new HostInventoryService(first, TimeProvider.System), locks, TimeProvider.System);
                var applied = await firstApplier.RunAsync(SegmentOperation.Apply(segment), hosts, onEvent: VxlanSegmentEndToEndTests.Collect(events));
                Assert.True(applied.Status == ApplyStatus.Succeeded, VxlanSegmentEndToEndTests.Describe(applied, events));
                Assert.Empty(applied.Drift);
                Assert.Empty(applied.Plan!.NotPersistent);
                Assert.All(applied.Plan.Hosts, h => Assert.Contains(h.Steps, s => s.Id == $"boot-enable:{spec.Name}"));
                if (transport != Transport.Vxlan) await AssertMirroredAsync(transport, segment.Allocation.Links.Single(), vm1, vm2);
                await _vm.AssertTrafficAsync(vm1, vm2, container, applied.Plan.Mtu, transportName, "after the apply");

                // Applied again, as on the namespace lab: the same full plan runs only its checks, and the applier's
                // re-plan against a fresh inventory is empty, so no changing command runs on either VM.
                await ApplyTwice.AssertFullPlanRunsOnlyChecksAsync(applied.Plan, hosts, first, locks, audit);
                await ApplyTwice.AssertApplierOnlyReadsAsync(segment, hosts, firstApplier, audit);
            }

            // The dashboard is gone (its connections closed). Both VMs reboot; their units alone bring the segment back,
            // and LXC autostarts the container on the bridge.
            await _vm.RebootAsync(vm1, vm2);
            await _vm.AssertTrafficAsync(vm1, vm2, container, VmSegments.SegmentMtuOf(segment, infos), transportName, "after a reboot, with no dashboard");

            await using var restarted = SshConnectionPool.Create(LabSegments.Options, TimeProvider.System, audit);
            var inventory = new HostInventoryService(restarted, TimeProvider.System);
            var applier = new LabApplier(restarted, inventory, locks, TimeProvider.System);
            await _vm.LoadModulesAsync(vm1, vm2);
            var rebooted = await VmSegments.ObserveAsync(new LabHostObserver(inventory, hosts), hosts);
            var drift = Superbridge.Core.Planning.SegmentPlanner.DetectDrift(segment, infos, rebooted);
            Assert.True(drift.IsOk && drift.Value.IsEmpty, "in sync after the reboot: " + string.Join("; ", drift.IsOk ? drift.Value : []));
            await ApplyTwice.AssertApplierOnlyReadsAsync(segment, hosts, applier, audit);

            events.Clear();
            var teardown = await applier.RunAsync(SegmentOperation.Teardown(segment), hosts, onEvent: VxlanSegmentEndToEndTests.Collect(events));
            tornDown = teardown.Status == ApplyStatus.Succeeded;
            Assert.True(tornDown, VxlanSegmentEndToEndTests.Describe(teardown, events));
        }
        finally
        {
            if (!tornDown) await _vm.ScrubAsync(segment, vm1, vm2);
        }

        // Torn down and rebooted once more: nothing of the segment comes back, and the files are as before the first apply.
        await _vm.RebootAsync(vm1, vm2);
        await _vm.LoadModulesAsync(vm1, vm2);
        await using (var dashboard = SshConnectionPool.Create(LabSegments.Options, TimeProvider.System, audit))
        {
            var after = await VmSegments.ObserveAsync(new LabHostObserver(new HostInventoryService(dashboard, TimeProvider.System), hosts), hosts);
            foreach (var host in hosts)
            {
                var was = HostSnapshot.Of(before[host.Id]);
                var now = HostSnapshot.Of(after[host.Id]);
                Assert.True(was.SameAs(now), $"{host.Id} differs after teardown and a reboot:\n{was.Diff(now)}");
            }
        }
        Assert.Equal(filesBefore, await _vm.FilesAsync(vm1, vm2));
    }

    /// <summary>What the kernels report on both ends: each end's local/remote, keys, ids and ports are the other's mirror.</summary>
    private async Task AssertMirroredAsync(Transport transport, LinkAllocation link, VmLabHost vm1, VmLabHost vm2)
    {
        var (a, b) = link.A == _vm.Id(vm1) ? (vm1, vm2) : (vm2, vm1);
        var (deviceA, deviceB) = (link.DeviceA, link.DeviceB);
        if (transport == Transport.Gretap)
        {
            var greA = await GretapAsync(a, deviceA);
            var greB = await GretapAsync(b, deviceB);
            Assert.Equal((a.Address, b.Address), (greA.Local, greA.Remote));
            Assert.Equal((b.Address, a.Address), (greB.Local, greB.Remote));
            Assert.Equal(link.GreKey, greA.IKey);
            Assert.Equal(greA.IKey, greB.OKey);
            Assert.Equal(greA.OKey, greB.IKey);
            return;
        }
        var (tunnelA, sessionA) = await L2tpAsync(a, deviceA);
        var (tunnelB, sessionB) = await L2tpAsync(b, deviceB);
        Assert.Equal((link.TunnelIdA, link.TunnelIdB), (tunnelA.TunnelId, tunnelB.TunnelId));
        Assert.Equal((tunnelA.TunnelId, tunnelA.PeerTunnelId), (tunnelB.PeerTunnelId, tunnelB.TunnelId));
        Assert.Equal((a.Address, b.Address), (tunnelA.Local, tunnelA.Remote));
        Assert.Equal((b.Address, a.Address), (tunnelB.Local, tunnelB.Remote));
        Assert.Equal((sessionA.SessionId, sessionA.PeerSessionId), (sessionB.PeerSessionId, sessionB.SessionId));
        Assert.Equal(transport == Transport.L2tpv3Udp ? "UDP" : "IP", tunnelA.Encap);
        Assert.Equal(tunnelA.Encap, tunnelB.Encap);
        if (transport == Transport.L2tpv3Udp)
        {
            Assert.Equal((link.PortA, link.PortB), (tunnelA.UdpSourcePort, tunnelB.UdpSourcePort));
            Assert.Equal((tunnelA.UdpSourcePort, tunnelA.UdpDestinationPort), (tunnelB.UdpDestinationPort, tunnelB.UdpSourcePort));
        }
    }

    private async Task<GretapInfo> GretapAsync(VmLabHost vm, string device)
    {
        var shown = (await vms.SshAsync(vm, $"ip -j -d link show dev {device}")).EnsureSuccess();
        var link = IpLinkParser.Parse(shown.StandardOutput).Single();
        Assert.Equal("gretap", link.Kind);
        return link.Gretap!;
    }

    private async Task<(ObservedL2tpTunnel Tunnel, ObservedL2tpSession Session)> L2tpAsync(VmLabHost vm, string device)
    {
        var sessions = L2tpParser.ParseSessions((await vms.SshAsync(vm, "ip l2tp show session")).EnsureSuccess().StandardOutput);
        var session = Assert.Single(sessions, s => s.InterfaceName == device);
        var tunnels = L2tpParser.ParseTunnels((await vms.SshAsync(vm, "ip l2tp show tunnel")).EnsureSuccess().StandardOutput);
        return (Assert.Single(tunnels, t => t.TunnelId == session.TunnelId), session);
    }

}
