using System.Collections.Concurrent;
using System.Collections.Immutable;
using Superbridge.Core.Model;
using Superbridge.Core.Planning;
using Superbridge.Core.Programs;
using Superbridge.Operations;
using Superbridge.Ssh.Apply;
using Superbridge.Ssh.Audit;
using Superbridge.Ssh.Connections;

namespace Superbridge.Ssh.Tests.EndToEnd;

/// <summary>Applying an applied segment again, on the namespace lab and on the VM hosts alike.</summary>
internal static class ApplyTwice
{
    /// <summary>
    /// Re-executes the segment's full plan under the hosts' locks: every step's check says it is done, so every step is
    /// skipped: each host runs one apply program (one <paramref name="audit"/> entry) in which no step's command ran.
    /// </summary>
    public static async Task AssertFullPlanRunsOnlyChecksAsync(SegmentPlan fullPlan, ImmutableArray<ApplyHost> hosts,
        SshConnectionPool pool, HostLocks locks, InMemoryAuditSink audit)
    {
        var mark = audit.Entries.Length;
        var events = new ConcurrentQueue<ApplyEvent>();
        PlanExecution again;
        using (var lease = await locks.AcquireAsync(hosts.Select(h => h.Id)))
        {
            var sessions = new Dictionary<HostId, IHostSession>();
            foreach (var host in hosts) sessions[host.Id] = await pool.GetAsync(host.Target);
            again = await new PlanExecutor(TimeProvider.System).ExecuteAsync(fullPlan, sessions, lease, e => { events.Enqueue(e); return ValueTask.CompletedTask; });
        }
        Assert.Equal(ApplyStatus.Succeeded, again.Status);
        Assert.All(again.Hosts.SelectMany(h => h.Steps), s => Assert.True(s.Outcome == StepOutcome.Skipped, $"{s.Host} {s.StepId} was {s.Outcome}"));
        Assert.Equal(fullPlan.StepCount, events.Count(e => e is StepSkipped));
        Assert.DoesNotContain(events, e => e is StepSucceeded or StepFailed);
        // One program per host (its apply program, as one audit entry), in which every step's check passed: no step's
        // command ran (every marker says skipped).
        var entries = audit.Entries.Skip(mark).ToList();
        Assert.Equal(fullPlan.Hosts.Where(h => h.Steps.Length > 0).Select(h => h.Host.Value).Order(), entries.Select(a => a.HostId.Value).Order());
        foreach (var entry in entries)
        {
            Assert.Equal(["sh", "-s"], entry.Argv.ToArray());
            var hostPlan = fullPlan.Hosts.Single(h => h.Host == entry.HostId);
            Assert.Equal(HostProgram.Apply(hostPlan), entry.Script);
            var markers = entry.StandardOutput.Split('\n').Where(l => l.StartsWith("SBSTEP ", StringComparison.Ordinal)).ToList();
            Assert.Equal(hostPlan.Steps.Length, markers.Count);
            Assert.All(markers, m => Assert.Equal("skipped", m.Split(' ')[3]));
        }
    }

    /// <summary>
    /// The applier re-plans against a fresh inventory: nothing is left to do, so nothing but the read-only programs
    /// (inventory, and the path probe when the applier has not measured lately) runs.
    /// </summary>
    public static async Task AssertApplierOnlyReadsAsync(Segment segment, ImmutableArray<ApplyHost> hosts,
        LabApplier applier, InMemoryAuditSink audit)
    {
        var mark = audit.Entries.Length;
        var second = await applier.RunAsync(SegmentOperation.Apply(segment), hosts);
        Assert.True(second.Status == ApplyStatus.Succeeded, second.Summary);
        Assert.True(second.Plan!.IsEmpty, $"second plan: {string.Join(", ", second.Plan.Hosts.SelectMany(h => h.Steps).Select(s => s.Id))}");
        Assert.Empty(second.Drift);
        Assert.All(audit.Entries.Skip(mark), AssertReadsOnly);
    }

    /// <summary>
    /// The entry is one of the two read-only programs (<c>sh -s</c> reading it): the inventory, or the path MTU probe a
    /// dashboard that has not measured the paths lately runs before planning. Never a command that changes anything.
    /// </summary>
    public static void AssertReadsOnly(AuditEntry entry)
    {
        Assert.Equal(["sh", "-s"], entry.Argv.ToArray());
        Assert.True(entry.Script is { } script
            && (script.StartsWith("# Superbridge inventory: reads only.", StringComparison.Ordinal)
                || script.StartsWith("# Superbridge path MTU probe: don't-fragment pings only, changes nothing.", StringComparison.Ordinal)),
            $"not a read-only program: {entry.CommandLine}\n{entry.Script}");
    }
}
