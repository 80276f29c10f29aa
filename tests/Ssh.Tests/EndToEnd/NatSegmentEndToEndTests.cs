using System.Collections.Concurrent;
using Superbridge.Core.Allocation;
using Superbridge.Core.Model;
using Superbridge.Core.Planning;
using Superbridge.Core.Validation;
using Superbridge.Lab;
using Superbridge.Operations;
using Superbridge.Ssh.Apply;
using Superbridge.Ssh.Tests.Lab;
using static Superbridge.Ssh.Tests.EndToEnd.VxlanSegmentEndToEndTests;

namespace Superbridge.Ssh.Tests.EndToEnd;

/// <summary>
/// A segment across the lab's host behind a 1:1 NAT (<c>lab/up --nat-hosts</c>: its eth0 holds only its private
/// address; SSH and the other hosts know it by its public one), with the DHCP router on a plain host.
/// </summary>
[Collection(LabCollection.Name)]
public sealed class NatSegmentEndToEndTests(LabFixture fixture)
{
    private const string RangeStart = "10.79.0.100";
    private const string RangeEnd = "10.79.0.199";

    private readonly LabEnvironment _lab = fixture.Lab;

    private LabHost NatHost => Assert.Single(_lab.Description.NatHosts);

    [Fact]
    public async Task A_container_behind_a_1to1_nat_leases_from_the_router_over_vxlan_and_reaches_upstream_through_it()
    {
        var (h1, nat) = (_lab.Host(1), NatHost);
        var container = nat.Containers[0];
        await using var lab = LabSegments.Create(_lab);
        var hosts = lab.Hosts(h1, nat);
        var spec = LabSegments.VxlanSpec("e2enat", "sbnat0", "10.79.0.1/24", (RangeStart, RangeEnd), [h1, nat], (nat, container));
        var before = await lab.ObserveAsync(hosts);
        var local = TunnelAddresses.Local(LabSegments.Info(nat), before[LabSegments.Id(nat)], LabSegments.Info(h1));
        Assert.Equal(new TunnelAddress(nat.PrivateAddress, TunnelAddressSource.Route, "eth0"), local);
        var segment = await lab.AllocateAsync(spec, hosts);
        var events = new ConcurrentQueue<ApplyEvent>();
        var tornDown = false;
        try
        {
            var applied = await lab.Applier.RunAsync(SegmentOperation.Apply(segment), hosts, onEvent: Collect(events));
            Assert.True(applied.Status == ApplyStatus.Succeeded, Describe(applied, events));
            Assert.Empty(applied.Drift);
            var vxlan = applied.Plan!.Hosts.Single(h => h.Host == LabSegments.Id(nat)).Steps.Single(s => s.Id == "link:" + segment.Allocation.VxlanDevices.Single(d => d.Host == LabSegments.Id(nat)).Device);
            Assert.Contains($" local {nat.PrivateAddress} ", vxlan.Do.ToShellLine() + " ");

            var address = await LabProbes.WaitForLeaseAsync(_lab, nat, container, RangeStart, RangeEnd);
            var whoami = await _lab.SshAsRootAsync(nat, $"lxc-attach -n {container} -- wget -q -O - {_lab.Description.Upstream.WhoamiUrl}");
            Assert.True(whoami.Succeeded, whoami.ToString());
            Assert.Equal(h1.Address, whoami.StandardOutput.Trim()); // out through the router's NAT, not the NAT host's own
            Assert.StartsWith("10.79.0.", address, StringComparison.Ordinal);

            events.Clear();
            var teardown = await lab.Applier.RunAsync(SegmentOperation.Teardown(segment), hosts, onEvent: Collect(events));
            tornDown = teardown.Status == ApplyStatus.Succeeded;
            Assert.True(tornDown, Describe(teardown, events));
            await lab.AssertAsBeforeAsync(before, hosts);
        }
        finally
        {
            if (!tornDown) await CleanUpAsync(lab, segment, hosts);
        }
    }

    [Fact]
    public async Task Gretap_to_the_host_behind_a_nat_is_refused_naming_it_before_anything_runs()
    {
        var (h1, nat) = (_lab.Host(1), NatHost);
        await using var lab = LabSegments.Create(_lab);
        var hosts = lab.Hosts(h1, nat);
        var spec = new SegmentSpec
        {
            Name = "e2enatgre",
            Transport = Transport.Gretap,
            Members = [LabSegments.Id(h1), LabSegments.Id(nat)],
            Links = [new LinkSpec { A = LabSegments.Id(h1), B = LabSegments.Id(nat) }],
        };
        var observed = await lab.ObserveAsync(hosts);
        var entries = lab.Audit.Entries.Length;

        var allocated = SegmentAllocator.Allocate(spec, LabSegments.Infos(hosts), [], observed);

        Assert.False(allocated.IsOk);
        var refusal = Assert.Single(allocated.Errors, e => e.Path == "transport");
        Assert.Equal(ErrorCode.Unsupported, refusal.Code);
        Assert.Equal($"host {nat.Name} is behind a NAT (its tunnels bind {nat.PrivateAddress}, peers send to {nat.PublicAddress}): " +
            "gretap has no ports for a NAT to map; use vxlan or l2tpv3-udp", refusal.Message);
        Assert.Equal(entries, lab.Audit.Entries.Length); // nothing ran on a host after the inventory
    }
}
