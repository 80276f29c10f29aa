using System.Collections.Immutable;
using Superbridge.Core.Model;
using Superbridge.Lab;
using Superbridge.Operations;
using Superbridge.Ssh.Audit;
using Superbridge.Ssh.Tests.Lab;

namespace Superbridge.Ssh.Tests.EndToEnd;

/// <summary>
/// A segment of many hosts (the lab's usual hosts and its container-less scale hosts): what it costs per host must not
/// grow with the segment. Pinned by round trips per host from the audit, not by time (bench/apply.sh measures time).
/// </summary>
[Collection(LabCollection.Name)]
public sealed class LargeSegmentTests(LabFixture fixture)
{
    private const int Size = 30;
    private readonly LabEnvironment _lab = fixture.Lab;

    [Fact]
    public async Task A_30_host_vxlan_segment_applies_re_applies_and_tears_down_in_a_fixed_number_of_round_trips_per_host()
    {
        var members = _lab.Description.AllHosts.Take(Size).ToArray();
        Assert.True(members.Length == Size,
            $"the lab has {members.Length} hosts; this test needs {Size} (lab/up --scale {LabEnvironment.ScaleHostCount}, as test.sh and LabEnvironment run it)");
        await using var lab = LabSegments.Create(_lab);
        var hosts = lab.Hosts(members);
        var spec = new SegmentSpec { Name = "e2escale", Bridge = "sbscale0", Transport = Transport.Vxlan, Members = [.. members.Select(LabSegments.Id)] };
        var before = await lab.ObserveAsync(hosts);
        var segment = await lab.AllocateAsync(spec, hosts);
        var tornDown = false;
        try
        {
            var (applied, applyTrips) = await RunCountingAsync(lab, SegmentOperation.Apply(segment), hosts);
            Assert.True(applied.Status == ApplyStatus.Succeeded, applied.Summary);
            Assert.Empty(applied.Drift);
            // Observe, the host's one probe program (every peer's path at once), its one apply program, observe again
            // to verify: whatever the segment's size.
            AssertEveryHost(hosts, applyTrips, 4);
            foreach (var host in applied.Plan!.Hosts)
            {
                var flood = Assert.Single(host.Steps, s => s.Id.StartsWith("fdb:", StringComparison.Ordinal));
                Assert.Equal(Size - 1, flood.Do.Argv.Length - 5); // all of the host's peers in one step
            }

            // Frames cross the mesh: the first host reaches the last and one in the middle through the segment's bridge.
            await AddressBridgeAsync(members[0], "10.79.0.1/24");
            await AddressBridgeAsync(members[^1], "10.79.0.30/24");
            await AddressBridgeAsync(members[14], "10.79.0.15/24");
            foreach (var target in new[] { "10.79.0.30", "10.79.0.15" })
            {
                var ping = await _lab.SshAsRootAsync(members[0], $"busybox ping -c 2 -W 2 -I sbscale0 {target}");
                Assert.True(ping.Succeeded, ping.ToString());
            }

            var (again, againTrips) = await RunCountingAsync(lab, SegmentOperation.Apply(segment), hosts);
            Assert.True(again.Status == ApplyStatus.Succeeded, again.Summary);
            Assert.Equal(0, again.Plan!.StepCount);
            AssertEveryHost(hosts, againTrips, 1); // observe (paths measured a moment ago are remembered): nothing ran, so that observation verifies

            var (teardown, teardownTrips) = await RunCountingAsync(lab, SegmentOperation.Teardown(segment), hosts);
            tornDown = teardown.Status == ApplyStatus.Succeeded;
            Assert.True(tornDown, teardown.Summary);
            AssertEveryHost(hosts, teardownTrips, 3);
            await lab.AssertAsBeforeAsync(before, hosts);
        }
        finally
        {
            if (!tornDown) await VxlanSegmentEndToEndTests.CleanUpAsync(lab, segment, hosts);
        }
    }

    private async Task AddressBridgeAsync(LabHost host, string cidr)
    {
        var added = await _lab.SshAsRootAsync(host, $"ip addr add {cidr} dev sbscale0");
        Assert.True(added.Succeeded, added.ToString());
    }

    private static async Task<(ApplyResult Result, ImmutableArray<AuditEntry> Commands)> RunCountingAsync(
        LabSegments lab, SegmentOperation operation, ImmutableArray<ApplyHost> hosts)
    {
        var before = lab.Audit.Entries.Length;
        var result = await lab.Applier.RunAsync(operation, hosts);
        return (result, lab.Audit.Entries[before..]);
    }

    private static void AssertEveryHost(ImmutableArray<ApplyHost> hosts, ImmutableArray<AuditEntry> commands, int expected)
    {
        var perHost = hosts.ToDictionary(h => h.Id, h => commands.Count(c => c.HostId == h.Id));
        Assert.True(perHost.Values.All(n => n == expected),
            $"expected {expected} commands on every host, got: {string.Join(", ", perHost.Where(p => p.Value != expected).Select(p => $"{p.Key}={p.Value}"))}");
        Assert.Equal(hosts.Length * expected, commands.Length);
    }
}
