using Superbridge.Core.Programs;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using Superbridge.Core.Allocation;
using Superbridge.Core.Model;
using Superbridge.Lab;
using Superbridge.Operations;
using Superbridge.Ssh.Apply;
using Superbridge.Ssh.Connections;
using Superbridge.Ssh.Tests.Lab;

namespace Superbridge.Ssh.Tests.EndToEnd;

/// <summary>
/// Segments applied by the product (inventory, plan, preflight, transactional apply, verification, teardown)
/// against the lab's real sshd, LXC and kernel.
/// </summary>
[Collection(LabCollection.Name)]
public sealed class VxlanSegmentEndToEndTests(LabFixture fixture)
{
    private const string Gateway = "10.77.0.1/24";
    private const string Network = "10.77.0.0/24";
    private const string RangeStart = "10.77.0.100";
    private const string RangeEnd = "10.77.0.199";

    private readonly LabEnvironment _lab = fixture.Lab;

    [Fact]
    public async Task Containers_on_a_vxlan_segment_get_leases_from_the_router_reach_each_other_and_upstream_and_teardown_restores_every_host()
    {
        Assert.True(LabProbes.HasIputilsPing(), "this test pings with don't-fragment through iputils ping (apt-get install iputils-ping)");
        var (h1, h2, h3) = (_lab.Host(1), _lab.Host(2), _lab.Host(3));
        var (c2, c3) = (h2.Containers[0], h3.Containers[0]);
        await using var lab = LabSegments.Create(_lab);
        var hosts = lab.Hosts(h1, h2, h3);
        var spec = LabSegments.VxlanSpec("e2evx", "sbe2e0", Gateway, (RangeStart, RangeEnd), [h1, h2, h3], (h2, c2), (h3, c3));
        var before = await lab.ObserveAsync(hosts);
        var allocated = SegmentAllocator.Allocate(spec, LabSegments.Infos(hosts), [], before);
        Assert.True(allocated.IsOk, string.Join("; ", allocated.Errors));
        var segment = allocated.Value;
        var events = new ConcurrentQueue<ApplyEvent>();
        var tornDown = false;
        try
        {
            var applied = await lab.Applier.RunAsync(SegmentOperation.Apply(segment), hosts, onEvent: Collect(events));

            Assert.True(applied.Status == ApplyStatus.Succeeded, Describe(applied, events));
            Assert.Empty(applied.Drift);
            Assert.IsType<OperationCompleted>(events.Last());
            Assert.Equal(events.Count(e => e is StepStarted), events.Count(e => e is StepSucceeded or StepSkipped));
            Assert.Equal(events.Select(e => e.At).Order(), events.Select(e => e.At));
            // Every host's part of the plan went through the audit sink as the one program that ran it, on its host.
            foreach (var host in applied.Plan!.Hosts)
                Assert.Contains(lab.Audit.Entries, a => a.HostId == host.Host && a.Script == HostProgram.Apply(host));

            var address2 = await LabProbes.WaitForLeaseAsync(_lab, h2, c2, RangeStart, RangeEnd);
            var address3 = await LabProbes.WaitForLeaseAsync(_lab, h3, c3, RangeStart, RangeEnd);
            var observed = await lab.ObserveAsync(hosts);
            Assert.Contains(address2, observed[LabSegments.Id(h2)].Containers.Single(c => c.Name == c2).Ipv4);
            Assert.Contains(address3, observed[LabSegments.Id(h3)].Containers.Single(c => c.Name == c3).Ipv4);

            var ping = await _lab.SshAsRootAsync(h2, $"lxc-attach -n {c2} -- ping -c 3 -W 2 {address3}");
            Assert.True(ping.Succeeded, ping.ToString());
            var ping13 = await _lab.SshAsRootAsync(h3, $"lxc-attach -n {c3} -- ping -c 3 -W 2 {address2}");
            Assert.True(ping13.Succeeded, ping13.ToString());

            var whoami = await _lab.SshAsRootAsync(h3, $"lxc-attach -n {c3} -- wget -q -O - {_lab.Description.Upstream.WhoamiUrl}");
            Assert.True(whoami.Succeeded, whoami.ToString());
            Assert.Equal(h1.Address, whoami.StandardOutput.Trim());
            var seen = await File.ReadAllLinesAsync(_lab.Description.Upstream.SeenLog);
            Assert.Contains(seen, line => line.EndsWith(" " + h1.Address, StringComparison.Ordinal));
            Assert.DoesNotContain(seen, line => line.EndsWith(" " + address3, StringComparison.Ordinal));

            // 1400-byte IP packets (1372 + 28) with don't-fragment cross the segment; 1451 bytes do not fit its 1450 MTU.
            var pid2 = await LabProbes.ContainerPidAsync(_lab, h2, c2);
            var fits = await LabProbes.PingWithDontFragmentAsync(pid2, address3, 1372);
            Assert.True(fits.Succeeded, fits.ToString());
            Assert.Contains("0% packet loss", fits.StandardOutput);
            var tooBig = await LabProbes.PingWithDontFragmentAsync(pid2, address3, 1423);
            Assert.False(tooBig.Succeeded, "a 1451-byte DF packet should not cross a 1450-MTU segment:\n" + tooBig);

            events.Clear();
            var teardown = await lab.Applier.RunAsync(SegmentOperation.Teardown(segment), hosts, onEvent: Collect(events));
            tornDown = teardown.Status == ApplyStatus.Succeeded;
            Assert.True(tornDown, Describe(teardown, events));
            Assert.Empty(teardown.Drift);

            await lab.AssertAsBeforeAsync(before, hosts);
        }
        finally
        {
            if (!tornDown) await CleanUpAsync(lab, segment, hosts);
        }
    }

    [Fact]
    public async Task Applying_an_applied_segment_again_runs_no_changing_command()
    {
        var (h1, h2) = (_lab.Host(1), _lab.Host(2));
        var c2 = h2.Containers[1];
        await using var lab = LabSegments.Create(_lab);
        var hosts = lab.Hosts(h1, h2);
        var spec = LabSegments.VxlanSpec("e2etwice", "sbtwice0", "10.78.0.1/24", ("10.78.0.100", "10.78.0.199"), [h1, h2], (h2, c2));
        var segment = await lab.AllocateAsync(spec, hosts);
        try
        {
            var first = await lab.Applier.RunAsync(SegmentOperation.Apply(segment), hosts);
            Assert.True(first.Status == ApplyStatus.Succeeded, first.Summary);
            var fullPlan = first.Plan!;
            Assert.True(fullPlan.StepCount > 20, $"the first plan should hold every step, has {fullPlan.StepCount}");

            // The same full plan once more: every step's check says it is done, so only checks run.
            await ApplyTwice.AssertFullPlanRunsOnlyChecksAsync(fullPlan, hosts, lab.Pool, lab.Locks, lab.Audit);
            // The applier re-plans against a fresh inventory: nothing is left to do, so nothing but the inventory runs.
            await ApplyTwice.AssertApplierOnlyReadsAsync(segment, hosts, lab.Applier, lab.Audit);

            var teardown = await lab.Applier.RunAsync(SegmentOperation.Teardown(segment), hosts);
            Assert.True(teardown.Status == ApplyStatus.Succeeded, teardown.Summary);
        }
        finally
        {
            await CleanUpAsync(lab, segment, hosts, onlyIfLeft: true);
        }
    }

    internal static Func<ApplyEvent, CancellationToken, ValueTask> Collect(ConcurrentQueue<ApplyEvent> events) =>
        (e, _) => { events.Enqueue(e); return ValueTask.CompletedTask; };

    internal static string Describe(ApplyResult result, IEnumerable<ApplyEvent> events) =>
        result.Summary + "\n" + string.Join("\n", events.Select(e => e switch
        {
            StepFailed f => $"FAILED {f.Step.Host} {f.Step.StepId}: {f.Step.Failure}",
            UndoFailed u => $"UNDO FAILED {u.Undo.Host} {u.Undo.StepId}: {u.Undo.Failure}",
            StepSucceeded s => $"ok {s.Step.Host} {s.Step.StepId}",
            StepSkipped s => $"skip {s.Step.Host} {s.Step.StepId}",
            UndoSucceeded u => $"undone {u.Undo.Host} {u.Undo.StepId}",
            _ => e.GetType().Name,
        }));

    /// <summary>Tear down with the product; whatever that leaves is scrubbed by name on the lab side.</summary>
    internal static async Task CleanUpAsync(LabSegments lab, Segment segment, ImmutableArray<ApplyHost> hosts, bool onlyIfLeft = false)
    {
        try
        {
            var teardown = await lab.Applier.RunAsync(SegmentOperation.Teardown(segment), hosts);
            if (onlyIfLeft && teardown.Status == ApplyStatus.Succeeded && teardown.Drift.IsEmpty) return;
        }
        catch (Exception)
        {
            // The scrub below is the fallback.
        }
        var network = segment.Spec.Router?.Gateway is { } gateway && Superbridge.Core.Validation.Ipv4Subnet.TryParse(gateway, out var subnet)
            ? subnet.NetworkCidr : null;
        await lab.ScrubAsync(segment, network);
    }
}
