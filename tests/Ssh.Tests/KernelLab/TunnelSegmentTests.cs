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
    private const string Gateway = "10.79.0.1";
    private const string Network = "10.79.0.0/24";
    private const string RangeStart = "10.79.0.100";
    private const string RangeEnd = "10.79.0.199";

    [Theory]
    [InlineData("gretap")]
    [InlineData("l2tpv3-udp")]
    [InlineData("l2tpv3-ip")]
    [InlineData("vxlan")]
    public async Task Segment_between_the_vms_leases_fits_its_mtu_nats_as_vm1_comes_back_after_a_reboot_without_the_dashboard_and_is_gone_after_teardown_and_another(string transportName)
    {
        var transport = transportName switch
        {
            "gretap" => Transport.Gretap,
            "l2tpv3-udp" => Transport.L2tpv3Udp,
            "l2tpv3-ip" => Transport.L2tpv3Ip,
            _ => Transport.Vxlan,
        };
        var (vm1, vm2) = (vms.Host(1), vms.Host(2));
        var container = vm2.Containers[0];
        // Modules stay loaded after a teardown (modprobe has no undo) and ip_gre adds gre0/gretap0/erspan0 to the
        // namespace: load them first so "before" and "after" compare what the segment changes. After a reboot they
        // are loaded again for the same reason.
        await LoadModulesAsync(vm1, vm2);

        var audit = new InMemoryAuditSink();
        var locks = new HostLocks();
        ImmutableArray<ApplyHost> hosts = [Host(vm1), Host(vm2)];
        var infos = hosts.ToDictionary(h => h.Id, h => h.Info);
        var bridge = "sbk" + transportName.Replace("l2tpv3-", "", StringComparison.Ordinal) + "0";
        var spec = new SegmentSpec
        {
            Name = "k" + transportName,
            Bridge = bridge,
            Transport = transport,
            Members = [Id(vm1), Id(vm2)],
            Links = transport == Transport.Vxlan ? [] : [new LinkSpec { A = Id(vm1), B = Id(vm2) }],
            Router = new RouterSpec
            {
                Host = Id(vm1),
                Gateway = Gateway + "/24",
                DhcpRange = new DhcpRange(RangeStart, RangeEnd),
                LeaseTime = "1h",
                Dns = false,
                Nat = true,
            },
            Attachments = [new AttachmentSpec(Id(vm2), container)],
        };
        var filesBefore = await FilesAsync(vm1, vm2);
        Dictionary<HostId, ObservedHost> before;
        Segment segment;
        await using (var dashboard = SshConnectionPool.Create(LabSegments.Options, TimeProvider.System, audit))
        {
            before = await ObserveAsync(new LabHostObserver(new HostInventoryService(dashboard, TimeProvider.System), hosts), hosts);
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
                await AssertTrafficAsync(vm1, vm2, container, applied.Plan.Mtu, transportName, "after the apply");

                // Applied again, as on the namespace lab: the same full plan runs only its checks, and the applier's
                // re-plan against a fresh inventory is empty, so no changing command runs on either VM.
                await ApplyTwice.AssertFullPlanRunsOnlyChecksAsync(applied.Plan, hosts, first, locks, audit);
                await ApplyTwice.AssertApplierRunsOnlyTheInventoryAsync(segment, hosts, firstApplier, audit);
            }

            // The dashboard is gone (its connections closed). Both VMs reboot; their units alone bring the segment back,
            // and LXC autostarts the container on the bridge.
            await RebootAsync(vm1, vm2);
            await AssertTrafficAsync(vm1, vm2, container, SegmentMtuOf(segment, infos), transportName, "after a reboot, with no dashboard");

            await using var restarted = SshConnectionPool.Create(LabSegments.Options, TimeProvider.System, audit);
            var inventory = new HostInventoryService(restarted, TimeProvider.System);
            var applier = new LabApplier(restarted, inventory, locks, TimeProvider.System);
            await LoadModulesAsync(vm1, vm2);
            var rebooted = await ObserveAsync(new LabHostObserver(inventory, hosts), hosts);
            var drift = Superbridge.Core.Planning.SegmentPlanner.DetectDrift(segment, infos, rebooted);
            Assert.True(drift.IsOk && drift.Value.IsEmpty, "in sync after the reboot: " + string.Join("; ", drift.IsOk ? drift.Value : []));
            await ApplyTwice.AssertApplierRunsOnlyTheInventoryAsync(segment, hosts, applier, audit);

            events.Clear();
            var teardown = await applier.RunAsync(SegmentOperation.Teardown(segment), hosts, onEvent: VxlanSegmentEndToEndTests.Collect(events));
            tornDown = teardown.Status == ApplyStatus.Succeeded;
            Assert.True(tornDown, VxlanSegmentEndToEndTests.Describe(teardown, events));
        }
        finally
        {
            if (!tornDown) await ScrubAsync(segment, vm1, vm2);
        }

        // Torn down and rebooted once more: nothing of the segment comes back, and the files are as before the first apply.
        await RebootAsync(vm1, vm2);
        await LoadModulesAsync(vm1, vm2);
        await using (var dashboard = SshConnectionPool.Create(LabSegments.Options, TimeProvider.System, audit))
        {
            var after = await ObserveAsync(new LabHostObserver(new HostInventoryService(dashboard, TimeProvider.System), hosts), hosts);
            foreach (var host in hosts)
            {
                var was = HostSnapshot.Of(before[host.Id]);
                var now = HostSnapshot.Of(after[host.Id]);
                Assert.True(was.SameAs(now), $"{host.Id} differs after teardown and a reboot:\n{was.Diff(now)}");
            }
        }
        Assert.Equal(filesBefore, await FilesAsync(vm1, vm2));
    }

    private static int SegmentMtuOf(Segment segment, Dictionary<HostId, HostInfo> infos) =>
        Superbridge.Core.Mtu.SegmentMtu.Effective(segment.Spec, infos);

    private async Task LoadModulesAsync(params VmLabHost[] members)
    {
        foreach (var vm in members)
            (await vms.SshAsync(vm, "modprobe ip_gre && modprobe l2tp_eth && modprobe l2tp_ip && modprobe vxlan")).EnsureSuccess();
    }

    /// <summary>Both VMs at once, each through its own <c>systemctl reboot</c>.</summary>
    private async Task RebootAsync(params VmLabHost[] members) =>
        await Task.WhenAll(members.Select(vm => vms.RebootAsync(vm)));

    /// <summary>
    /// Everything a segment may write on a VM, as path and checksum: systemd's unit directory, sysctl.d, Superbridge's
    /// own directory, and the containers' configs.
    /// </summary>
    private async Task<string> FilesAsync(params VmLabHost[] members)
    {
        var listing = new List<string>();
        foreach (var vm in members)
        {
            var files = await vms.SshAsync(vm,
                "find /etc/systemd/system /etc/sysctl.d /etc/superbridge /var/lib/lxc/*/config 2>/dev/null | sort | while read -r f; do " +
                "if [ -f \"$f\" ]; then echo \"$f $(md5sum < \"$f\")\"; else echo \"$f\"; fi; done");
            listing.Add($"{vm.Name}:\n{files.EnsureSuccess().StandardOutput}");
        }
        return string.Join("\n", listing);
    }

    /// <summary>
    /// The container on VM2 (busybox LXC, attached by the product: lxc.net.0.link moved to the bridge and a restart) gets
    /// its lease from VM1's dnsmasq across the tunnel; don't-fragment pings of exactly the MTU cross, one byte more does
    /// not; and its request to the lab's upstream arrives masqueraded as VM1.
    /// </summary>
    private async Task AssertTrafficAsync(VmLabHost vm1, VmLabHost vm2, string container, int mtu, string transportName, string when)
    {
        var upstream = lab.Lab.Description.Upstream;
        var address = await WaitForLeaseAsync(vm2, container);
        var leases = (await vms.SshAsync(vm1, "cat /run/superbridge/*.leases 2>/dev/null || true")).StandardOutput;

        var inContainer = $"nsenter -t $(lxc-info -n {container} -p -H) -n";
        var fits = await vms.SshAsync(vm2, $"{inContainer} ping -M do -s {mtu - 28} -c 3 -i 0.2 -W 2 {Gateway}");
        Assert.True(fits.Succeeded, $"{when}: a {mtu}-byte DF packet from {address} should cross the {transportName} segment (MTU {mtu}):\n{fits}\nleases: {leases}");
        var tooBig = await vms.SshAsync(vm2, $"{inContainer} ping -M do -s {mtu - 27} -c 2 -i 0.2 -W 2 {Gateway}");
        Assert.False(tooBig.Succeeded, $"{when}: a {mtu + 1}-byte DF packet should not cross a {mtu}-MTU segment:\n{tooBig}");

        // GNU wget in the container's network namespace: in the guests, lxc-attach and busybox wget segfault. The
        // masqueraded traffic stays inside the lab: VM1 has no default route, only the lab's ranges.
        var routes = (await vms.SshAsync(vm1, "ip -4 route show default; ip -4 route show 203.0.113.0/24")).EnsureSuccess();
        Assert.Equal($"203.0.113.0/24 via {vms.Description.Underlay.Gateway} dev eth0", routes.StandardOutput.Trim());
        var whoami = await vms.SshAsync(vm2, $"{inContainer} wget -q -T 10 -t 1 -O - {upstream.WhoamiUrl}");
        Assert.True(whoami.Succeeded, $"{when}: {container} ({address}) should reach {upstream.WhoamiUrl} through VM1:\n{whoami}");
        Assert.Equal(vm1.Address, whoami.StandardOutput.Trim());
        var seen = await File.ReadAllLinesAsync(upstream.SeenLog);
        Assert.Contains(seen, line => line.EndsWith(" " + vm1.Address, StringComparison.Ordinal));
        Assert.DoesNotContain(seen, line => line.EndsWith(" " + address, StringComparison.Ordinal));
    }

    /// <summary>What the kernels report on both ends: each end's local/remote, keys, ids and ports are the other's mirror.</summary>
    private async Task AssertMirroredAsync(Transport transport, LinkAllocation link, VmLabHost vm1, VmLabHost vm2)
    {
        var (a, b) = link.A == Id(vm1) ? (vm1, vm2) : (vm2, vm1);
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

    /// <summary>Polls <c>lxc-ls -f</c> on the VM until the container shows an IPv4 address in the DHCP range.</summary>
    private async Task<string> WaitForLeaseAsync(VmLabHost vm, string container)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        var last = "";
        while (true)
        {
            var listing = await vms.SshAsync(vm, "lxc-ls -f -F NAME,STATE,IPV4");
            last = listing.ToString();
            var row = listing.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .FirstOrDefault(columns => columns.Length >= 3 && columns[0] == container);
            var address = row?[2].Split(',')[0].Trim();
            if (address is not null && System.Net.IPAddress.TryParse(address, out _) && LabProbes.InRange(address, RangeStart, RangeEnd))
                return address;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{container} on {vm.Name} got no lease in {RangeStart}-{RangeEnd}; lxc-ls -f:\n{last}");
            await Task.Delay(1000);
        }
    }

    private HostId Id(VmLabHost vm) => new(vm.Name);

    private ApplyHost Host(VmLabHost vm) => new(
        new HostTarget(Id(vm), HostEndpoint.Root(vm.Address, vm.Port), HostCredentials.FromKeyFile(vms.Description.KeyPath), HostKeyPolicy.Pin(vm.HostKeyFingerprint)),
        new HostInfo { Id = Id(vm), Address = vm.Address, UnderlayDevice = "eth0", UnderlayMtu = 1500, LxcPath = vm.LxcPath });

    private static async Task<Dictionary<HostId, ObservedHost>> ObserveAsync(LabHostObserver observer, IEnumerable<ApplyHost> hosts)
    {
        var observed = await Task.WhenAll(hosts.Select(async h => (h.Id, Host: await observer.ObserveAsync(h))));
        return observed.ToDictionary(o => o.Id, o => o.Host);
    }

    /// <summary>Last resort when the product's teardown did not finish: removes the segment's pieces by name.</summary>
    private async Task ScrubAsync(Segment segment, params VmLabHost[] members)
    {
        foreach (var vm in members)
        {
            var script = new List<string>();
            foreach (var link in segment.Allocation.Links)
            {
                if (link.A == Id(vm)) script.Add($"ip link del dev {link.DeviceA} 2>/dev/null");
                if (link.B == Id(vm)) script.Add($"ip link del dev {link.DeviceB} 2>/dev/null");
                if (link.A == Id(vm) && link.TunnelIdA is { } ta) script.Add($"ip l2tp del tunnel tunnel_id {ta.ToString(CultureInfo.InvariantCulture)} 2>/dev/null");
                if (link.B == Id(vm) && link.TunnelIdB is { } tb) script.Add($"ip l2tp del tunnel tunnel_id {tb.ToString(CultureInfo.InvariantCulture)} 2>/dev/null");
            }
            script.Add($"ip link del dev {segment.Spec.Bridge} 2>/dev/null");
            script.Add($"systemctl disable superbridge-{segment.Spec.Name}.service 2>/dev/null; rm -f /etc/systemd/system/superbridge-{segment.Spec.Name}.service " +
                $"/etc/superbridge/{segment.Spec.Name}.apply.sh /etc/superbridge/{segment.Spec.Name}.undo.sh /etc/sysctl.d/90-superbridge-{segment.Spec.Name}.conf; " +
                "rmdir /etc/superbridge 2>/dev/null; systemctl daemon-reload");
            script.Add($"for p in /run/superbridge/*{segment.Spec.Bridge}*.pid; do [ -s \"$p\" ] && kill $(cat \"$p\"); rm -f \"$p\"; done");
            if (segment.Spec.Router?.Host == Id(vm))
            {
                // The VMs forward nothing but a segment's traffic, so forwarding off is their state before.
                script.Add($"while iptables -t nat -D POSTROUTING -s {Network} -j SB-{segment.Spec.Bridge} 2>/dev/null; do :; done; " +
                    $"iptables -t nat -F SB-{segment.Spec.Bridge} 2>/dev/null; iptables -t nat -X SB-{segment.Spec.Bridge} 2>/dev/null");
                script.Add("sysctl -qw net.ipv4.ip_forward=0");
            }
            foreach (var attachment in segment.Spec.Attachments.Where(a => a.Host == Id(vm)))
            {
                var config = $"/var/lib/lxc/{attachment.Container}/config";
                script.Add($"if grep -q '^lxc.net.0.link = {segment.Spec.Bridge}$' {config}; then sed -i '/^lxc\\.net\\.0\\.link = {segment.Spec.Bridge}$/d' {config}; lxc-stop -k -n {attachment.Container}; fi");
                script.Add($"lxc-info -s -n {attachment.Container} | grep -q RUNNING || lxc-start -n {attachment.Container}");
            }
            script.Add("true");
            await vms.SshAsync(vm, string.Join("\n", script));
        }
    }
}
