using System.Collections.Concurrent;
using Superbridge.Core.Allocation;
using Superbridge.Lab;
using Superbridge.Operations;
using Superbridge.Ssh.Apply;
using Superbridge.Ssh.Tests.Lab;

namespace Superbridge.Ssh.Tests.EndToEnd;

/// <summary>
/// The lab's firewalled host (<c>--firewall-hosts</c>: Docker's iptables, INPUT loopback, established and SSH only,
/// FORWARD policy DROP, br_netfilter passing bridged frames to it) as a router and as a member: the product opens exactly what the
/// segment needs in its own chains, and teardown leaves the host's rules as they were.
/// </summary>
[Collection(LabCollection.Name)]
public sealed class FirewalledHostEndToEndTests(LabFixture fixture)
{
    private const string Gateway = "10.91.0.1/24";
    private const string RangeStart = "10.91.0.100";
    private const string RangeEnd = "10.91.0.199";

    /// <summary>The whole filter/nat/mangle state without counters or the timestamp comments.</summary>
    private const string IptablesSave = "iptables-save | grep -v '^#' | sed 's/\\[[0-9]*:[0-9]*\\]/[0:0]/'";

    private readonly LabEnvironment _lab = fixture.Lab;

    [Fact]
    public async Task A_docker_like_router_of_a_vxlan_segment_leases_and_routes_for_the_far_containers_and_teardown_restores_its_iptables()
    {
        var router = Assert.Single(_lab.Description.FirewalledHosts, h => !h.Nat);
        var (h2, h3) = (_lab.Host(2), _lab.Host(3));
        var (c2, c3) = (h2.Containers[0], h3.Containers[0]);
        var policies = await _lab.SshAsRootAsync(router, "iptables -S | grep '^-P'");
        Assert.Equal("-P INPUT DROP\n-P FORWARD DROP\n-P OUTPUT ACCEPT\n", policies.StandardOutput);
        await using var lab = LabSegments.Create(_lab);
        var hosts = lab.Hosts(router, h2, h3);
        var spec = LabSegments.VxlanSpec("e2efw", "sbfw0", Gateway, (RangeStart, RangeEnd), [router, h2, h3], (h2, c2), (h3, c3));
        Core.Model.Segment? segment = null;
        var tornDown = false;
        try
        {
            var rulesBefore = await _lab.SshAsRootAsync(router, IptablesSave);
            Assert.True(rulesBefore.Succeeded, rulesBefore.ToString());
            var before = await lab.ObserveAsync(hosts);
            var allocated = SegmentAllocator.Allocate(spec, LabSegments.Infos(hosts), [], before);
            Assert.True(allocated.IsOk, string.Join("; ", allocated.Errors));
            segment = allocated.Value;
            var events = new ConcurrentQueue<ApplyEvent>();

            var applied = await lab.Applier.RunAsync(SegmentOperation.Apply(segment), hosts, onEvent: VxlanSegmentEndToEndTests.Collect(events));

            Assert.True(applied.Status == ApplyStatus.Succeeded, VxlanSegmentEndToEndTests.Describe(applied, events));
            Assert.Empty(applied.Drift);
            var routerSteps = applied.Plan!.Hosts.Single(h => h.Host == LabSegments.Id(router)).Steps.Select(s => s.Id).ToList();
            Assert.Contains("fw-jump:SB-FW-IN-sbfw0", routerSteps);
            Assert.Contains("fw-jump:SB-FW-FWD-sbfw0", routerSteps);
            Assert.DoesNotContain(applied.Plan.Hosts.Where(h => h.Host != LabSegments.Id(router)).SelectMany(h => h.Steps), s => s.Id.StartsWith("fw", StringComparison.Ordinal));

            // DHCP and the tunnel reach router through its INPUT, the routed traffic through its FORWARD.
            await LabProbes.WaitForLeaseAsync(_lab, h2, c2, RangeStart, RangeEnd);
            await LabProbes.WaitForLeaseAsync(_lab, h3, c3, RangeStart, RangeEnd);
            foreach (var (host, container) in new[] { (h2, c2), (h3, c3) })
            {
                var whoami = await _lab.SshAsRootAsync(host, $"lxc-attach -n {container} -- wget -q -O - {_lab.Description.Upstream.WhoamiUrl}");
                Assert.True(whoami.Succeeded, whoami.ToString());
                Assert.Equal(router.Address, whoami.StandardOutput.Trim());
            }

            events.Clear();
            var teardown = await lab.Applier.RunAsync(SegmentOperation.Teardown(segment), hosts, onEvent: VxlanSegmentEndToEndTests.Collect(events));
            tornDown = teardown.Status == ApplyStatus.Succeeded;
            Assert.True(tornDown, VxlanSegmentEndToEndTests.Describe(teardown, events));

            var rulesAfter = await _lab.SshAsRootAsync(router, IptablesSave);
            Assert.Equal(rulesBefore.StandardOutput, rulesAfter.StandardOutput);
            await lab.AssertAsBeforeAsync(before, hosts);
        }
        finally
        {
            if (!tornDown && segment is not null) await VxlanSegmentEndToEndTests.CleanUpAsync(lab, segment, hosts);
        }
    }

    [Fact]
    public async Task A_container_on_a_docker_like_member_leases_across_the_tunnel_through_its_forward_chain_and_teardown_restores_its_iptables()
    {
        var firewalled = Assert.Single(_lab.Description.FirewalledHosts, h => !h.Nat);
        Assert.NotEmpty(firewalled.Containers);
        var router = _lab.Host(1);
        var container = firewalled.Containers[0];
        await using var lab = LabSegments.Create(_lab);
        var hosts = lab.Hosts(router, firewalled);
        var spec = LabSegments.VxlanSpec("e2efwm", "sbfwm0", "10.92.0.1/24", ("10.92.0.100", "10.92.0.199"), [router, firewalled], (firewalled, container));
        Core.Model.Segment? segment = null;
        var tornDown = false;
        try
        {
            var rulesBefore = await _lab.SshAsRootAsync(firewalled, IptablesSave);
            var before = await lab.ObserveAsync(hosts);
            segment = SegmentAllocator.Allocate(spec, LabSegments.Infos(hosts), [], before).Value;
            var events = new ConcurrentQueue<ApplyEvent>();

            var applied = await lab.Applier.RunAsync(SegmentOperation.Apply(segment), hosts, onEvent: VxlanSegmentEndToEndTests.Collect(events));

            Assert.True(applied.Status == ApplyStatus.Succeeded, VxlanSegmentEndToEndTests.Describe(applied, events));
            var memberSteps = applied.Plan!.Hosts.Single(h => h.Host == LabSegments.Id(firewalled)).Steps.Select(s => s.Id).ToList();
            Assert.Contains("fw:SB-FW-FWD-sbfwm0:bridged", memberSteps);
            Assert.DoesNotContain(memberSteps, id => id.EndsWith(":dhcp", StringComparison.Ordinal) || id.Contains(":routed-", StringComparison.Ordinal));
            // The container's DHCP frames cross the member's bridge (FORWARD, br_netfilter) into the tunnel; the router's answers come in through INPUT.
            await LabProbes.WaitForLeaseAsync(_lab, firewalled, container, "10.92.0.100", "10.92.0.199");
            var whoami = await _lab.SshAsRootAsync(firewalled, $"lxc-attach -n {container} -- wget -q -O - {_lab.Description.Upstream.WhoamiUrl}");
            Assert.True(whoami.Succeeded, whoami.ToString());
            Assert.Equal(router.Address, whoami.StandardOutput.Trim());

            var teardown = await lab.Applier.RunAsync(SegmentOperation.Teardown(segment), hosts);
            tornDown = teardown.Status == ApplyStatus.Succeeded;
            Assert.True(tornDown, teardown.Summary);
            var rulesAfter = await _lab.SshAsRootAsync(firewalled, IptablesSave);
            Assert.Equal(rulesBefore.StandardOutput, rulesAfter.StandardOutput);
        }
        finally
        {
            if (!tornDown && segment is not null) await VxlanSegmentEndToEndTests.CleanUpAsync(lab, segment, hosts);
        }
    }
}
