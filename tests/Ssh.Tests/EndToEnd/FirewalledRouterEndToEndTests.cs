using System.Collections.Concurrent;
using Superbridge.Core.Allocation;
using Superbridge.Lab;
using Superbridge.Operations;
using Superbridge.Ssh.Apply;
using Superbridge.Ssh.Tests.Lab;

namespace Superbridge.Ssh.Tests.EndToEnd;

/// <summary>
/// A router whose filter table drops like a Docker host's (INPUT: loopback, established and SSH only; FORWARD: policy
/// DROP): the product opens exactly what the segment needs in its own chains, and teardown leaves the host's rules as
/// they were.
/// </summary>
[Collection(LabCollection.Name)]
public sealed class FirewalledRouterEndToEndTests(LabFixture fixture)
{
    private const string Gateway = "10.91.0.1/24";
    private const string RangeStart = "10.91.0.100";
    private const string RangeEnd = "10.91.0.199";

    /// <summary>Docker-like, as the lab's --firewall-hosts option makes it; undone in reverse by <see cref="Unfirewall"/>.</summary>
    private const string Firewall =
        "iptables -A INPUT -i lo -j ACCEPT && iptables -A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT"
        + " && iptables -A INPUT -p tcp -m tcp --dport 22 -j ACCEPT && iptables -P INPUT DROP && iptables -P FORWARD DROP";
    private const string Unfirewall =
        "iptables -P FORWARD ACCEPT; iptables -P INPUT ACCEPT; iptables -D INPUT -p tcp -m tcp --dport 22 -j ACCEPT;"
        + " iptables -D INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT; iptables -D INPUT -i lo -j ACCEPT";
    /// <summary>The whole filter/nat/mangle state without counters or the timestamp comments.</summary>
    private const string IptablesSave = "iptables-save | grep -v '^#' | sed 's/\\[[0-9]*:[0-9]*\\]/[0:0]/'";

    private readonly LabEnvironment _lab = fixture.Lab;

    [Fact]
    public async Task A_docker_like_router_of_a_vxlan_segment_leases_and_routes_for_the_far_containers_and_teardown_restores_its_iptables()
    {
        var (h1, h2, h3) = (_lab.Host(1), _lab.Host(2), _lab.Host(3));
        var (c2, c3) = (h2.Containers[0], h3.Containers[0]);
        var firewalled = await _lab.SshAsRootAsync(h1, Firewall);
        Assert.True(firewalled.Succeeded, firewalled.ToString());
        await using var lab = LabSegments.Create(_lab);
        var hosts = lab.Hosts(h1, h2, h3);
        var spec = LabSegments.VxlanSpec("e2efw", "sbfw0", Gateway, (RangeStart, RangeEnd), [h1, h2, h3], (h2, c2), (h3, c3));
        Core.Model.Segment? segment = null;
        var tornDown = false;
        try
        {
            var rulesBefore = await _lab.SshAsRootAsync(h1, IptablesSave);
            Assert.True(rulesBefore.Succeeded, rulesBefore.ToString());
            var before = await lab.ObserveAsync(hosts);
            var allocated = SegmentAllocator.Allocate(spec, LabSegments.Infos(hosts), [], before);
            Assert.True(allocated.IsOk, string.Join("; ", allocated.Errors));
            segment = allocated.Value;
            var events = new ConcurrentQueue<ApplyEvent>();

            var applied = await lab.Applier.RunAsync(SegmentOperation.Apply(segment), hosts, onEvent: VxlanSegmentEndToEndTests.Collect(events));

            Assert.True(applied.Status == ApplyStatus.Succeeded, VxlanSegmentEndToEndTests.Describe(applied, events));
            Assert.Empty(applied.Drift);
            var h1Steps = applied.Plan!.Hosts.Single(h => h.Host == LabSegments.Id(h1)).Steps.Select(s => s.Id).ToList();
            Assert.Contains("fw-jump:SB-FW-IN-sbfw0", h1Steps);
            Assert.Contains("fw-jump:SB-FW-FWD-sbfw0", h1Steps);
            Assert.DoesNotContain(applied.Plan.Hosts.Where(h => h.Host != LabSegments.Id(h1)).SelectMany(h => h.Steps), s => s.Id.StartsWith("fw", StringComparison.Ordinal));

            // DHCP and the tunnel reach h1 through its INPUT, the routed traffic through its FORWARD.
            await LabProbes.WaitForLeaseAsync(_lab, h2, c2, RangeStart, RangeEnd);
            await LabProbes.WaitForLeaseAsync(_lab, h3, c3, RangeStart, RangeEnd);
            foreach (var (host, container) in new[] { (h2, c2), (h3, c3) })
            {
                var whoami = await _lab.SshAsRootAsync(host, $"lxc-attach -n {container} -- wget -q -T 5 -O - {_lab.Description.Upstream.WhoamiUrl}");
                Assert.True(whoami.Succeeded, whoami.ToString());
                Assert.Equal(h1.Address, whoami.StandardOutput.Trim());
            }

            events.Clear();
            var teardown = await lab.Applier.RunAsync(SegmentOperation.Teardown(segment), hosts, onEvent: VxlanSegmentEndToEndTests.Collect(events));
            tornDown = teardown.Status == ApplyStatus.Succeeded;
            Assert.True(tornDown, VxlanSegmentEndToEndTests.Describe(teardown, events));

            var rulesAfter = await _lab.SshAsRootAsync(h1, IptablesSave);
            Assert.Equal(rulesBefore.StandardOutput, rulesAfter.StandardOutput);
            await lab.AssertAsBeforeAsync(before, hosts);
        }
        finally
        {
            if (!tornDown && segment is not null) await VxlanSegmentEndToEndTests.CleanUpAsync(lab, segment, hosts);
            await _lab.SshAsRootAsync(h1, Unfirewall);
        }
    }
}
