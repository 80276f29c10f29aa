using System.Text.RegularExpressions;
using Superbridge.Core.Allocation;
using Superbridge.Core.Model;
using Superbridge.Lab;
using Superbridge.Operations;
using Superbridge.Ssh.Tests.Lab;

namespace Superbridge.Ssh.Tests.EndToEnd;

/// <summary>
/// Uplink NICs on namespace hosts: the management NIC is never bridged, and a NIC the test adds joins the bridge so a
/// machine on its far side (a namespace the test makes) is on the segment and leases from the gateway router.
/// </summary>
[Collection(LabCollection.Name)]
public sealed partial class UplinkEndToEndTests(LabFixture fixture)
{
    // Lab names (sblab-): lab/down removes them even if this test is killed.
    private const string FarNamespace = "sblab-ulfar";
    private const string Nic = "sblab-ul0";
    private const string FarNic = "sblab-ul0f";
    private const string Gateway = "10.79.0.1";
    private const string RangeStart = "10.79.0.100";
    private const string RangeEnd = "10.79.0.199";

    private readonly LabEnvironment _lab = fixture.Lab;

    [Fact]
    public async Task External_router_mode_on_the_ssh_interface_is_refused_naming_externalInterface_and_nothing_runs()
    {
        var (h1, h2) = (_lab.Host(1), _lab.Host(2));
        await using var lab = LabSegments.Create(_lab);
        var hosts = lab.Hosts(h1, h2);
        var spec = new SegmentSpec
        {
            Name = "e2eext", Bridge = "sbext0", Transport = Transport.Vxlan, Members = [LabSegments.Id(h1), LabSegments.Id(h2)],
            Router = new RouterSpec { Host = LabSegments.Id(h1), Mode = RouterMode.External, ExternalInterface = "eth0" },
        };
        var before = await lab.ObserveAsync(hosts);

        var allocated = SegmentAllocator.Allocate(spec, LabSegments.Infos(hosts), [], before);

        var error = Assert.Single(allocated.Errors);
        Assert.Equal("router.externalInterface", error.Path);
        Assert.Equal($"eth0 carries sblab-h1's SSH and tunnel address {h1.Address}, the underlay of sblab-h1's tunnels, the default route, "
            + $"the tunnels to sblab-h2 ({h2.Address}); as a port of sbext0 it would lose them and cut the dashboard off mid-apply", error.Message);
        var after = (await lab.ObserveAsync(hosts))[LabSegments.Id(h1)];
        Assert.Null(after.Links.Single(l => l.Name == "eth0").Master);
        Assert.DoesNotContain(after.Links, l => l.Name == "sbext0");
    }

    [Fact]
    public async Task An_uplink_joins_the_bridge_beside_a_gateway_router_and_a_machine_behind_it_leases_from_the_routers_range()
    {
        var (h1, h2) = (_lab.Host(1), _lab.Host(2));
        await using var lab = LabSegments.Create(_lab);
        var hosts = lab.Hosts(h1, h2);
        Segment? segment = null;
        var tornDown = false;
        try
        {
            await AddFarSideAsync(h2);
            // The uplink is on h2, the router on h1: the far machine's DHCP crosses the uplink, h2's bridge and the VXLAN.
            var spec = LabSegments.VxlanSpec("e2eupl", "sbupl0", $"{Gateway}/24", (RangeStart, RangeEnd), [h1, h2])
                with { Uplinks = [new UplinkSpec(LabSegments.Id(h2), Nic)] };
            var before = await lab.ObserveAsync(hosts);
            segment = await lab.AllocateAsync(spec, hosts);

            var applied = await lab.Applier.RunAsync(SegmentOperation.Apply(segment), hosts);
            Assert.True(applied.Status == ApplyStatus.Succeeded, applied.Summary);
            Assert.Empty(applied.Drift);
            var onH2 = (await lab.ObserveAsync(hosts))[LabSegments.Id(h2)].Links.Single(l => l.Name == Nic);
            Assert.Equal("sbupl0", onH2.Master);

            var lease = await LeaseAsync();
            Assert.True(LabProbes.InRange(lease, RangeStart, RangeEnd), $"{lease} is outside {RangeStart}..{RangeEnd}");
            await Run("ip", "-n", FarNamespace, "addr", "add", $"{lease}/24", "dev", FarNic);
            var ping = await _lab.RunInNamespaceAsync(FarNamespace, ["busybox", "ping", "-c", "3", "-W", "2", Gateway]);
            Assert.True(ping.Succeeded, ping.ToString());

            var teardown = await lab.Applier.RunAsync(SegmentOperation.Teardown(segment), hosts);
            tornDown = teardown.Status == ApplyStatus.Succeeded;
            Assert.True(tornDown, teardown.Summary);
            // Released and still up, as before the segment.
            await lab.AssertAsBeforeAsync(before, hosts);
        }
        finally
        {
            if (segment is not null && !tornDown) await VxlanSegmentEndToEndTests.CleanUpAsync(lab, segment, hosts);
            await LabProcess.RunAsync("ip", ["netns", "del", FarNamespace]);
            await LabProcess.RunAsync("ip", ["-n", h2.Namespace, "link", "del", Nic]);
        }
    }

    /// <summary>A veth from h2 to a fresh namespace: the NIC on h2 up (a spare NIC), the far end up with no address.</summary>
    private async Task AddFarSideAsync(LabHost host)
    {
        await LabProcess.RunAsync("ip", ["netns", "del", FarNamespace]); // a killed earlier run's
        await Run("ip", "netns", "add", FarNamespace);
        await Run("ip", "link", "add", Nic, "type", "veth", "peer", "name", FarNic);
        await Run("ip", "link", "set", Nic, "netns", host.Namespace);
        await Run("ip", "link", "set", FarNic, "netns", FarNamespace);
        await Run("ip", "-n", host.Namespace, "link", "set", Nic, "up");
        await Run("ip", "-n", FarNamespace, "link", "set", "lo", "up");
        await Run("ip", "-n", FarNamespace, "link", "set", FarNic, "up");
    }

    /// <summary>busybox udhcpc on the far NIC, once (-q), with no script: the lease is read from what it prints.</summary>
    private async Task<string> LeaseAsync()
    {
        var dhcp = await _lab.RunInNamespaceAsync(FarNamespace,
            ["busybox", "udhcpc", "-f", "-q", "-n", "-t", "10", "-T", "2", "-i", FarNic, "-s", "/bin/true"], TimeSpan.FromSeconds(40));
        Assert.True(dhcp.Succeeded, dhcp.ToString());
        var match = LeaseLine().Match(dhcp.StandardOutput + dhcp.StandardError);
        Assert.True(match.Success, dhcp.ToString());
        Assert.Equal(Gateway, match.Groups[2].Value);
        return match.Groups[1].Value;
    }

    [GeneratedRegex(@"lease of (\d+\.\d+\.\d+\.\d+) obtained from (\d+\.\d+\.\d+\.\d+)")]
    private static partial Regex LeaseLine();

    private static async Task Run(params string[] argv) => (await LabProcess.RunAsync(argv[0], argv[1..])).EnsureSuccess();
}
