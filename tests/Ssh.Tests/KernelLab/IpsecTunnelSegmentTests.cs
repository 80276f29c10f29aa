using System.Collections.Concurrent;
using System.Collections.Immutable;
using Superbridge.Core.Allocation;
using Superbridge.Core.Model;
using Superbridge.Core.Mtu;
using Superbridge.Core.Observed;
using Superbridge.Core.Planning;
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
/// Encrypted segments (strongSwan, IKEv2, ESP transport mode) applied by the product between the two VM hosts, whose
/// Debian kernel has ESP (this machine's has xfrm but no ESP, so the namespace hosts cannot carry an SA): while the
/// container on VM2 leases, pings at the segment's MTU and reaches upstream through VM1, a capture on the underlay
/// bridge holds ESP and nothing in clear between the VMs but IKE and ARP; with VM2's charon stopped the tunnel goes
/// quiet rather than clear, and comes back when it starts; teardown leaves no SA, policy, file or rule.
/// </summary>
[Collection(LabCollection.Name)]
public sealed class IpsecTunnelSegmentTests(LabFixture lab, VmLabFixture vms) : IClassFixture<VmLabFixture>
{
    private readonly VmSegments _vm = new(lab, vms);

    [Theory]
    [InlineData("gretap")]
    [InlineData("l2tpv3-udp")]
    [InlineData("l2tpv3-ip")]
    [InlineData("vxlan")]
    public async Task Encrypted_segment_carries_only_esp_fits_its_mtu_goes_quiet_not_clear_without_charon_and_leaves_no_sa_policy_file_or_rule(string transportName)
    {
        var transport = VmSegments.TransportOf(transportName);
        var (vm1, vm2) = (vms.Host(1), vms.Host(2));
        var container = vm2.Containers[0];
        await _vm.LoadModulesAsync(vm1, vm2);

        var audit = new InMemoryAuditSink();
        var locks = new HostLocks();
        ImmutableArray<ApplyHost> hosts = [_vm.Host(vm1), _vm.Host(vm2)];
        var infos = hosts.ToDictionary(h => h.Id, h => h.Info);
        var bridge = "sbe" + transportName.Replace("l2tpv3-", "", StringComparison.Ordinal) + "0";
        var spec = _vm.Spec("e" + transportName, bridge, transport, vm1, vm2, container) with { Encryption = Encryption.Ipsec };
        var filesBefore = await _vm.FilesAsync(vm1, vm2);
        var pool = SshConnectionPool.Create(LabSegments.Options, TimeProvider.System, audit);
        var inventory = new HostInventoryService(pool, TimeProvider.System);
        var applier = new LabApplier(pool, inventory, locks, TimeProvider.System);
        var before = await VmSegments.ObserveAsync(new LabHostObserver(inventory, hosts), hosts);
        Assert.All(before.Values, o => Assert.Null(o.Ipsec.Missing));
        var allocated = SegmentAllocator.Allocate(spec, infos, [], before);
        Assert.True(allocated.IsOk, string.Join("; ", allocated.Errors));
        var segment = allocated.Value;
        var events = new ConcurrentQueue<ApplyEvent>();
        var tornDown = false;
        try
        {
            var applied = await applier.RunAsync(SegmentOperation.Apply(segment), hosts, onEvent: VxlanSegmentEndToEndTests.Collect(events));
            Assert.True(applied.Status == ApplyStatus.Succeeded, VxlanSegmentEndToEndTests.Describe(applied, events));
            Assert.Empty(applied.Drift);
            var mtu = applied.Plan!.Mtu;
            Assert.True(mtu < SegmentMtu.Effective(spec with { Encryption = Encryption.None }, infos), $"ESP costs bytes: MTU {mtu}");
            Assert.NotEmpty(applier.Keys.Keys);
            Assert.All(applier.Keys.Keys.Values, key => Assert.DoesNotContain(audit.Entries,
                a => (a.Script ?? "").Contains(key[2..], StringComparison.Ordinal) || a.Argv.Any(w => w.Contains(key[2..], StringComparison.Ordinal))));

            await AssertEncryptedTrafficAsync(vm1, vm2, container, mtu, transportName, "after the apply");
            var sas = (await vms.SshAsync(vm2, "swanctl --list-sas")).EnsureSuccess().StandardOutput;
            Assert.Contains("ESTABLISHED", sas, StringComparison.Ordinal);
            Assert.Contains("INSTALLED, TRANSPORT", sas, StringComparison.Ordinal);
            await ApplyTwice.AssertApplierOnlyReadsAsync(segment, hosts, applier, audit);

            await AssertQuietWithoutCharonAsync(vm1, vm2, container, transportName);

            if (transport == Transport.L2tpv3Ip)
                await AssertKeyRotationAsync(segment, hosts, applier, vm1, vm2, container);

            if (transport == Transport.Gretap)
                await AssertEncryptionSwitchKeepsTheContainerAsync(segment, hosts, applier, vm1, vm2, container, mtu);

            if (transport == Transport.Vxlan)
            {
                // Keys and connections come back at boot from strongSwan's own unit; the guard from the segment's.
                await pool.DisposeAsync();
                await _vm.RebootAsync(vm1, vm2);
                await _vm.LoadModulesAsync(vm1, vm2);
                pool = SshConnectionPool.Create(LabSegments.Options, TimeProvider.System, audit);
                inventory = new HostInventoryService(pool, TimeProvider.System);
                applier = new LabApplier(pool, inventory, locks, TimeProvider.System);
                await AssertEncryptedTrafficAsync(vm1, vm2, container, mtu, transportName, "after a reboot, with no dashboard");
                var rebooted = await VmSegments.ObserveAsync(new LabHostObserver(inventory, hosts), hosts);
                var drift = Superbridge.Core.Planning.SegmentPlanner.DetectDrift(segment, infos, rebooted);
                Assert.True(drift.IsOk && drift.Value.IsEmpty, "in sync after the reboot: " + string.Join("; ", drift.IsOk ? drift.Value : []));
            }

            events.Clear();
            var teardown = await applier.RunAsync(SegmentOperation.Teardown(segment), hosts, onEvent: VxlanSegmentEndToEndTests.Collect(events));
            tornDown = teardown.Status == ApplyStatus.Succeeded;
            Assert.True(tornDown, VxlanSegmentEndToEndTests.Describe(teardown, events));

            var after = await VmSegments.ObserveAsync(new LabHostObserver(inventory, hosts), hosts);
            foreach (var host in hosts)
            {
                var was = HostSnapshot.Of(before[host.Id]);
                var now = HostSnapshot.Of(after[host.Id]);
                Assert.True(was.SameAs(now), $"{host.Id} differs after teardown:\n{was.Diff(now)}");
            }
            foreach (var (vm, peer) in new[] { (vm1, vm2), (vm2, vm1) })
            {
                var left = (await vms.SshAsync(vm, "swanctl --list-sas; swanctl --list-conns; ip xfrm policy")).EnsureSuccess().StandardOutput;
                Assert.DoesNotContain(spec.Name + "-", left, StringComparison.Ordinal);
                Assert.DoesNotContain(peer.Address, left, StringComparison.Ordinal);
                // A packet the other end sent while its side was still going may leave a larval ACQUIRE state (spi 0)
                // that the kernel drops by itself (net.core.xfrm_acq_expires); a keyed state must not stay.
                var states = (await vms.SshAsync(vm, "ip xfrm state")).EnsureSuccess().StandardOutput;
                Assert.DoesNotContain(states.Split("\nsrc ").Where(b => !b.Contains("spi 0x00000000", StringComparison.Ordinal)),
                    b => b.Contains(peer.Address, StringComparison.Ordinal));
            }
            Assert.Equal(filesBefore, await _vm.FilesAsync(vm1, vm2));
        }
        finally
        {
            if (!tornDown) await _vm.ScrubAsync(segment, vm1, vm2);
            await pool.DisposeAsync();
        }
    }

    /// <summary>The segment's traffic checks (lease, MTU both ways, NAT as VM1) while the underlay shows ESP and nothing else in clear.</summary>
    private async Task AssertEncryptedTrafficAsync(VmLabHost vm1, VmLabHost vm2, string container, int mtu, string transportName, string when)
    {
        List<string> capture;
        try
        {
            capture = await UnderlayCapture.BetweenAsync(lab.Lab.Description.Underlay.Bridge, vm1.Address, vm2.Address,
                () => _vm.AssertTrafficAsync(vm1, vm2, container, mtu, transportName, when));
        }
        catch (Exception e) when (e is TimeoutException or Xunit.Sdk.XunitException)
        {
            throw new InvalidOperationException($"{e.Message}\n{await IpsecStateAsync(vm1)}\n{await IpsecStateAsync(vm2)}", e);
        }
        Assert.Contains(capture, UnderlayCapture.IsEsp);
        Assert.All(capture, line => Assert.True(UnderlayCapture.IsEspIkeOrArp(line), $"{when}: in clear between the VMs: {line}"));
    }

    /// <summary>What strongSwan, xfrm and the guard's counters say on a VM, for a failure's message.</summary>
    private async Task<string> IpsecStateAsync(VmLabHost vm) =>
        $"--- {vm.Name} ---\n" + (await vms.SshAsync(vm,
            "swanctl --list-sas 2>/dev/null; ip xfrm policy; ip xfrm state; iptables -t filter -L -v -n -x; journalctl -u strongswan --no-pager -n 40")).StandardOutput;

    /// <summary>
    /// VM2's charon stopped takes its policies with it: the guard drops the tunnel's packets instead of sending them in
    /// clear, so the container reaches nothing; started again, it loads the files and the trap brings the SA back.
    /// </summary>
    private async Task AssertQuietWithoutCharonAsync(VmLabHost vm1, VmLabHost vm2, string container, string transportName)
    {
        var inContainer = $"nsenter -t $(lxc-info -n {container} -p -H) -n";
        (await vms.SshAsync(vm2, "systemctl stop strongswan")).EnsureSuccess();
        try
        {
            var quiet = await UnderlayCapture.BetweenAsync(lab.Lab.Description.Underlay.Bridge, vm1.Address, vm2.Address, async () =>
            {
                var ping = await vms.SshAsync(vm2, $"{inContainer} ping -c 3 -i 0.3 -W 1 {VmSegments.Gateway}");
                Assert.False(ping.Succeeded, $"{transportName}: with charon stopped on {vm2.Name} the container should reach nothing:\n{ping}");
            });
            Assert.All(quiet, line => Assert.True(UnderlayCapture.IsEspIkeOrArp(line), $"charon stopped, in clear between the VMs: {line}"));
        }
        finally
        {
            (await vms.SshAsync(vm2, "systemctl start strongswan")).EnsureSuccess();
        }
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (true)
        {
            var ping = await vms.SshAsync(vm2, $"{inContainer} ping -c 1 -W 2 {VmSegments.Gateway}");
            if (ping.Succeeded) break;
            Assert.True(DateTime.UtcNow < deadline, $"{transportName}: charon started again on {vm2.Name}, but the container still reaches nothing:\n{ping}");
            await Task.Delay(1000);
        }
    }

    /// <summary>
    /// A key rotation: both ends' key files change to the one new key, the second end's IKE SA is replaced by one
    /// authenticated with it, and the tunnel still carries the container's traffic over ESP only.
    /// </summary>
    private async Task AssertKeyRotationAsync(Segment segment, ImmutableArray<ApplyHost> hosts, LabApplier applier,
        VmLabHost vm1, VmLabHost vm2, string container)
    {
        var pair = Assert.Single(IpsecPair.Of(segment.Spec));
        var keyFile = $"/etc/swanctl/conf.d/superbridge-{pair.Name}.secrets.conf";
        async Task<string> Sums() => string.Join("\n", await Task.WhenAll(new[] { vm1, vm2 }.Select(async vm =>
            (await vms.SshAsync(vm, $"sha256sum {keyFile}")).EnsureSuccess().StandardOutput.Trim())));
        // The IKE SAs of the pair by unique id ("lan-0a1b2c3d: #3"): a re-authentication replaces them.
        async Task<string> IkeSas(VmLabHost vm) => string.Join(' ', (await vms.SshAsync(vm, $"swanctl --list-sas --ike {pair.Name} --noblock")).EnsureSuccess()
            .StandardOutput.Split('\n').Where(l => l.StartsWith(pair.Name + ": #", StringComparison.Ordinal)).Select(l => l.Split(',')[0]));
        var sumsBefore = await Sums();
        var keyBefore = applier.Keys.Keys[pair.Name];
        var ikeBefore = await IkeSas(vm2);
        Assert.NotEmpty(ikeBefore);

        var events = new ConcurrentQueue<ApplyEvent>();
        var rotated = await applier.RunAsync(SegmentOperation.RotateKey(segment, pair), hosts, onEvent: VxlanSegmentEndToEndTests.Collect(events));

        Assert.True(rotated.Status == ApplyStatus.Succeeded, "key rotation: " + VxlanSegmentEndToEndTests.Describe(rotated, events));
        Assert.NotEqual(keyBefore, applier.Keys.Keys[pair.Name]);
        Assert.NotEqual(sumsBefore, await Sums());
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (await IkeSas(vm2) == ikeBefore)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the IKE SA of {pair.Name} on {vm2.Name} was not re-authenticated after the rotation");
            await Task.Delay(500);
        }
        var inContainer = $"nsenter -t $(lxc-info -n {container} -p -H) -n";
        var capture = await UnderlayCapture.BetweenAsync(lab.Lab.Description.Underlay.Bridge, vm1.Address, vm2.Address, async () =>
            (await vms.SshAsync(vm2, $"{inContainer} ping -c 3 -i 0.3 -W 2 {VmSegments.Gateway}")).EnsureSuccess());
        Assert.Contains(capture, UnderlayCapture.IsEsp);
        Assert.All(capture, line => Assert.True(UnderlayCapture.IsEspIkeOrArp(line), $"after the key rotation, in clear: {line}"));
    }

    /// <summary>Encryption off, then on again, as changes: the tunnels and the container stay (same pid, same lease).</summary>
    private async Task AssertEncryptionSwitchKeepsTheContainerAsync(Segment segment, ImmutableArray<ApplyHost> hosts, LabApplier applier,
        VmLabHost vm1, VmLabHost vm2, string container, int mtu)
    {
        var pid = (await vms.SshAsync(vm2, $"lxc-info -n {container} -p -H")).EnsureSuccess().StandardOutput.Trim();
        var lease = await _vm.WaitForLeaseAsync(vm2, container);
        var clear = segment with { Spec = segment.Spec with { Encryption = Encryption.None } };

        var off = await applier.RunAsync(SegmentOperation.Change(segment, clear), hosts);
        Assert.True(off.Status == ApplyStatus.Succeeded, "encryption off: " + off.Error);
        Assert.DoesNotContain(off.Plan!.Hosts.SelectMany(h => h.Steps), s => s.Id.StartsWith("lxc-", StringComparison.Ordinal) || s.Id.StartsWith("link:", StringComparison.Ordinal));
        var inContainer = $"nsenter -t {pid} -n";
        var capture = await UnderlayCapture.BetweenAsync(lab.Lab.Description.Underlay.Bridge, vm1.Address, vm2.Address, async () =>
            (await vms.SshAsync(vm2, $"{inContainer} ping -c 3 -i 0.3 -W 2 {VmSegments.Gateway}")).EnsureSuccess());
        Assert.Contains(capture, line => line.Contains("GRE", StringComparison.Ordinal)); // clear now, as asked

        var on = await applier.RunAsync(SegmentOperation.Change(clear, segment), hosts);
        Assert.True(on.Status == ApplyStatus.Succeeded, "encryption on: " + on.Error);
        Assert.DoesNotContain(on.Plan!.Hosts.SelectMany(h => h.Steps), s => s.Id.StartsWith("lxc-", StringComparison.Ordinal) || s.Id.StartsWith("link:", StringComparison.Ordinal));
        Assert.Equal(pid, (await vms.SshAsync(vm2, $"lxc-info -n {container} -p -H")).EnsureSuccess().StandardOutput.Trim());
        Assert.Equal(lease, await _vm.WaitForLeaseAsync(vm2, container));
        var encrypted = await UnderlayCapture.BetweenAsync(lab.Lab.Description.Underlay.Bridge, vm1.Address, vm2.Address, async () =>
            (await vms.SshAsync(vm2, $"{inContainer} ping -M do -s {mtu - 28} -c 3 -i 0.3 -W 2 {VmSegments.Gateway}")).EnsureSuccess());
        Assert.Contains(encrypted, UnderlayCapture.IsEsp);
        Assert.All(encrypted, line => Assert.True(UnderlayCapture.IsEspIkeOrArp(line), $"encryption on again, in clear: {line}"));
    }
}
