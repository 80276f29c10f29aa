using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;
using Superbridge.Core.Allocation;
using Superbridge.Core.Commands;
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
/// A segment between the two VM hosts, as the kernel-lab tests apply it: VM1 routes (DHCP and NAT), VM2's busybox
/// container is attached; and what those tests check on the VMs: leases, MTU, NAT, the files a segment may write, and
/// a last-resort scrub.
/// </summary>
public sealed class VmSegments(LabFixture lab, VmLabFixture vms)
{
    public const string Gateway = "10.79.0.1";
    public const string Network = "10.79.0.0/24";
    public const string RangeStart = "10.79.0.100";
    public const string RangeEnd = "10.79.0.199";

    public static Transport TransportOf(string name) => name switch
    {
        "gretap" => Transport.Gretap,
        "l2tpv3-udp" => Transport.L2tpv3Udp,
        "l2tpv3-ip" => Transport.L2tpv3Ip,
        _ => Transport.Vxlan,
    };

    public SegmentSpec Spec(string name, string bridge, Transport transport, VmLabHost vm1, VmLabHost vm2, string container) => new()
    {
        Name = name,
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

    public static int SegmentMtuOf(Segment segment, Dictionary<HostId, HostInfo> infos) =>
        Superbridge.Core.Mtu.SegmentMtu.Effective(segment.Spec, infos);

    public async Task LoadModulesAsync(params VmLabHost[] members)
    {
        foreach (var vm in members)
            (await vms.SshAsync(vm, "modprobe ip_gre && modprobe l2tp_eth && modprobe l2tp_ip && modprobe vxlan")).EnsureSuccess();
    }

    /// <summary>Both VMs at once, each through its own <c>systemctl reboot</c>.</summary>
    public async Task RebootAsync(params VmLabHost[] members) =>
        await Task.WhenAll(members.Select(vm => vms.RebootAsync(vm)));

    /// <summary>
    /// Everything a segment may write on a VM, as path and checksum: systemd's unit directory, sysctl.d, Superbridge's
    /// own directory, and the containers' configs.
    /// </summary>
    public async Task<string> FilesAsync(params VmLabHost[] members)
    {
        var listing = new List<string>();
        foreach (var vm in members)
        {
            var files = await vms.SshAsync(vm,
                "find /etc/systemd/system /etc/sysctl.d /etc/superbridge /etc/swanctl/conf.d /var/lib/lxc/*/config 2>/dev/null | sort | while read -r f; do " +
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
    public async Task AssertTrafficAsync(VmLabHost vm1, VmLabHost vm2, string container, int mtu, string transportName, string when)
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

    /// <summary>Polls <c>lxc-ls -f</c> on the VM until the container shows an IPv4 address in the DHCP range.</summary>
    public async Task<string> WaitForLeaseAsync(VmLabHost vm, string container)
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

    public HostId Id(VmLabHost vm) => new(vm.Name);

    public ApplyHost Host(VmLabHost vm) => new(
        new HostTarget(Id(vm), HostEndpoint.Root(vm.Address, vm.Port), HostCredentials.FromKeyFile(vms.Description.KeyPath), HostKeyPolicy.Pin(vm.HostKeyFingerprint)),
        new HostInfo { Id = Id(vm), Address = vm.Address, UnderlayDevice = "eth0", UnderlayMtu = 1500, LxcPath = vm.LxcPath });

    public static async Task<Dictionary<HostId, ObservedHost>> ObserveAsync(LabHostObserver observer, IEnumerable<ApplyHost> hosts)
    {
        var observed = await Task.WhenAll(hosts.Select(async h => (h.Id, Host: await observer.ObserveAsync(h))));
        return observed.ToDictionary(o => o.Id, o => o.Host);
    }

    /// <summary>Last resort when the product's teardown did not finish: removes the segment's pieces by name.</summary>
    public async Task ScrubAsync(Segment segment, params VmLabHost[] members)
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
            foreach (var device in segment.Allocation.VxlanDevices.Where(d => d.Host == Id(vm)))
                script.Add($"ip link del dev {device.Device} 2>/dev/null");
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
            if (segment.Spec.Encryption == Encryption.Ipsec)
            {
                // Unloading a connection leaves its established SAs: end them first, as the product's undo does.
                script.Add($"for c in $(swanctl --list-sas 2>/dev/null | sed -n 's/^\\({segment.Spec.Name}-[0-9a-f]*\\): .*/\\1/p'); do swanctl --terminate --ike \"$c\" --force --timeout 5 >/dev/null 2>&1; done");
                script.Add($"rm -f /etc/swanctl/conf.d/superbridge-{segment.Spec.Name}-*; swanctl --load-all --noprompt >/dev/null 2>&1");
                foreach (var (hook, chain) in new[] { ("INPUT", EspGuardCommands.Chain(true, segment.Spec.Bridge)), ("OUTPUT", EspGuardCommands.Chain(false, segment.Spec.Bridge)) })
                    script.Add($"while iptables -D {hook} -j {chain} 2>/dev/null; do :; done; iptables -F {chain} 2>/dev/null; iptables -X {chain} 2>/dev/null");
            }
            script.Add("true");
            await vms.SshAsync(vm, string.Join("\n", script));
        }
    }
}
