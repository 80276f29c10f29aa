using System.Diagnostics;
using System.Net;
using Superbridge.Lab;
using static Superbridge.Ssh.Tests.Lab.LabSshAccessTests;

namespace Superbridge.Ssh.Tests.Lab;

/// <summary>
/// Proves the lab supports what Superbridge will do, with plain shell commands over SSH: a VXLAN
/// tunnel between two hosts joined into a bridge on each side, dnsmasq on the router side, and a lab
/// container on the far side that gets a DHCP lease across the tunnel (shown by lxc-ls -f) and
/// reaches upstream through the router's MASQUERADE.
/// </summary>
[Collection(LabCollection.Name)]
public sealed class LabOverlayFeasibilityTests(LabFixture fixture)
{
    private const string Bridge = "sbtest-br0";
    private const string Tunnel = "sbtest-vx0";
    private const string NatComment = "sbtest-nat";
    private static readonly TimeSpan LeaseDeadline = TimeSpan.FromSeconds(40);

    private readonly LabEnvironment _lab = fixture.Lab;

    [Fact]
    public async Task Container_behind_a_vxlan_tunnel_gets_a_dhcp_lease_from_the_far_host_and_reaches_upstream_through_its_nat()
    {
        var router = _lab.Host(1);
        var far = _lab.Host(2);
        var container = far.Containers[0];
        var overlay = _lab.Description.Overlay;
        var prefixLength = overlay.Subnet.Split('/')[1];
        var leaseFile = $"{_lab.Description.StateDir}/sbtest-dnsmasq.leases";
        var pidFile = $"{_lab.Description.StateDir}/sbtest-dnsmasq.pid";
        var containerConfig = $"{far.LxcPath}/{container}/config";

        try
        {
            (await _lab.SshAsRootAsync(router, $"""
                set -e
                ip link add {Bridge} type bridge
                ip link add {Tunnel} type vxlan id 4242 local {router.Address} remote {far.Address} dstport 4789 dev eth0
                ip link set {Tunnel} master {Bridge}
                ip link set {Tunnel} up
                ip addr add {overlay.RouterAddress}/{prefixLength} dev {Bridge}
                ip link set {Bridge} up
                dnsmasq --conf-file=/dev/null --port=0 --bind-interfaces --interface={Bridge} --except-interface=lo \
                  --dhcp-range={overlay.DhcpStart},{overlay.DhcpEnd},{Netmask(prefixLength)},1h \
                  --dhcp-option=option:router,{overlay.RouterAddress} \
                  --dhcp-leasefile={leaseFile} --pid-file={pidFile}
                sysctl -qw net.ipv4.ip_forward=1
                iptables -t nat -A POSTROUTING -s {overlay.Subnet} -o eth0 -j MASQUERADE -m comment --comment {NatComment}
                """)).EnsureSuccess();

            (await _lab.SshAsRootAsync(far, $"""
                set -e
                ip link add {Bridge} type bridge
                ip link add {Tunnel} type vxlan id 4242 local {far.Address} remote {router.Address} dstport 4789 dev eth0
                ip link set {Tunnel} master {Bridge}
                ip link set {Tunnel} up
                ip link set {Bridge} up
                echo 'lxc.net.0.link = {Bridge}' >> {containerConfig}
                lxc-stop -n {container}
                lxc-start -n {container}
                """)).EnsureSuccess();

            var address = await WaitForLeaseAsync(far, container);

            Assert.InRange(Octets(address), Octets(overlay.DhcpStart), Octets(overlay.DhcpEnd));
            var fancy = (await _lab.SshAsRootAsync(far, "lxc-ls -f")).EnsureSuccess();
            Assert.Contains(Lines(fancy.StandardOutput), row => row.StartsWith(container + " ") && row.Contains(address));
            var leases = (await _lab.SshAsRootAsync(router, $"cat {leaseFile}")).EnsureSuccess();
            Assert.Contains(Lines(leases.StandardOutput), lease => lease.Contains($" {address} {container} "));

            var seen = (await _lab.SshAsRootAsync(far,
                $"lxc-attach -n {container} -- wget -q -O - {_lab.Description.Upstream.WhoamiUrl}")).EnsureSuccess();
            Assert.Equal(router.Address, seen.StandardOutput.Trim());
        }
        finally
        {
            await _lab.SshAsRootAsync(far, $"""
                sed -i '/^lxc\.net\.0\.link = {Bridge}$/d' {containerConfig}
                lxc-stop -k -n {container}
                lxc-start -n {container}
                ip link del {Tunnel}
                ip link del {Bridge}
                """);
            await _lab.SshAsRootAsync(router, $"""
                [ -s {pidFile} ] && kill $(cat {pidFile})
                rm -f {pidFile} {leaseFile}
                iptables -t nat -D POSTROUTING -s {overlay.Subnet} -o eth0 -j MASQUERADE -m comment --comment {NatComment}
                sysctl -qw net.ipv4.ip_forward=0
                ip link del {Tunnel}
                ip link del {Bridge}
                """);
        }

        var restored = (await _lab.SshAsRootAsync(far, "lxc-ls --fancy --fancy-format NAME,STATE")).EnsureSuccess();
        Assert.Contains(Lines(restored.StandardOutput), row => row.StartsWith(container + " ") && row.EndsWith("RUNNING"));
    }

    private async Task<string> WaitForLeaseAsync(LabHost host, string container)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var listing = (await _lab.SshAsRootAsync(host, "lxc-ls --fancy --fancy-format NAME,IPV4")).EnsureSuccess();
            var row = Lines(listing.StandardOutput)
                .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Single(columns => columns[0] == container);
            if (row[1] != "-")
            {
                return row[1].TrimEnd(',');
            }
            if (clock.Elapsed > LeaseDeadline)
            {
                throw new TimeoutException($"{container} on {host.Name} got no DHCP lease within {LeaseDeadline}");
            }
            await Task.Delay(250);
        }
    }

    private static string Netmask(string prefixLength)
    {
        var bits = uint.MaxValue << (32 - int.Parse(prefixLength));
        return new IPAddress(BitConverter.GetBytes(bits).Reverse().ToArray()).ToString();
    }

    private static uint Octets(string address) =>
        BitConverter.ToUInt32(IPAddress.Parse(address).GetAddressBytes().Reverse().ToArray());
}
