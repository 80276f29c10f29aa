using System.Collections.Concurrent;
using System.Collections.Immutable;
using Superbridge.Core.Commands;
using Superbridge.Core.Model;
using Superbridge.Core.Planning;
using Superbridge.Lab;
using Superbridge.Operations;
using Superbridge.Ssh.Apply;
using Superbridge.Ssh.Connections;
using Superbridge.Ssh.Tests.Lab;

namespace Superbridge.Ssh.Tests.EndToEnd;

/// <summary>The rollback reaches a host whose SSH connection dropped mid-apply once it answers again, on the real lab.</summary>
[Collection(LabCollection.Name)]
public sealed class RollbackReconnectTests(LabFixture fixture)
{
    private static readonly TimeSpan SshdDownFor = TimeSpan.FromSeconds(1.5);

    private readonly LabEnvironment _lab = fixture.Lab;

    [Fact]
    public async Task Reconnect_after_the_first_hosts_sshd_died_mid_apply_rolls_it_back_to_its_state_before()
    {
        var (h1, h2) = (_lab.Host(1), _lab.Host(2));
        await using var lab = LabSegments.Create(_lab);
        var hosts = lab.Hosts(h1, h2);
        var spec = LabSegments.VxlanSpec("e2ereconn", "sbrecon0", "10.86.0.1/24", ("10.86.0.100", "10.86.0.199"), [h1, h2]);
        var before = await lab.ObserveAsync(hosts);
        var segment = await lab.AllocateAsync(spec, hosts);
        var plan = PlanFailingAtTheEnd(segment, hosts, before, LabSegments.Id(h2));
        var events = new ConcurrentQueue<ApplyEvent>();
        Task? restart = null;
        try
        {
            PlanExecution result;
            using (var lease = await lab.Locks.AcquireAsync(hosts.Select(h => h.Id)))
            {
                // Hosts run one after another (h1 then h2). Once h1 is done its sshd dies with its sessions and comes back
                // a moment later, while h2 runs into the failing step; the rollback then undoes h2, then h1.
                result = await new SshPlanExecutor(lab.Pool, new LabHostTargets(hosts), TimeProvider.System).ExecuteAsync(
                    plan, lease, new OperationContext(1, "e2e"),
                    async e =>
                    {
                        events.Enqueue(e);
                        if (e is HostFinished { Host.Value: var host } && host == h1.Name && restart is null)
                        {
                            await LabSshd.KillAsync(h1);
                            restart = Task.Run(async () => { await Task.Delay(SshdDownFor); await LabSshd.RestartAsync(h1); });
                        }
                    },
                    new ApplyOptions { MaxParallelHosts = 1 }, CancellationToken.None);
            }

            Assert.NotNull(restart);
            await restart;
            Assert.True(result.Status == ApplyStatus.RolledBack, Describe(result, events));
            Assert.Equal((LabSegments.Id(h2), "fail:e2ereconn"), (result.Error!.Host, result.Error.StepId));
            var first = result.Hosts.Single(h => h.Host == LabSegments.Id(h1));
            Assert.True(first.ChangedSteps > 5, Describe(result, events));
            // Every step h1 changed was undone, in reverse order, on the new connection.
            var changed = first.Steps.Where(s => s.Outcome == StepOutcome.Succeeded).Select(s => s.StepId).Reverse().ToList();
            Assert.Equal(changed, first.Undone.Select(u => u.StepId));
            Assert.All(first.Undone, u => Assert.True(u.Outcome != UndoOutcome.Failed, Describe(result, events)));

            var after = await lab.ObserveAsync(hosts);
            foreach (var host in new[] { h1, h2 })
            {
                var was = HostSnapshot.Of(before[LabSegments.Id(host)]);
                var now = HostSnapshot.Of(after[LabSegments.Id(host)]);
                Assert.True(was.SameAs(now), $"{host.Name} differs after the rollback:\n{was.Diff(now)}");
            }
        }
        finally
        {
            if (restart is not null) await restart.ContinueWith(_ => { }, TaskScheduler.Default);
            await LabSshd.RestartAsync(h1);
            await VxlanSegmentEndToEndTests.CleanUpAsync(lab, segment, hosts, onlyIfLeft: true);
        }
    }

    /// <summary>The product's plan for the segment, with one more step at the end of <paramref name="failing"/>'s that fails.</summary>
    private static SegmentPlan PlanFailingAtTheEnd(Segment segment, ImmutableArray<ApplyHost> hosts,
        Dictionary<HostId, Superbridge.Core.Observed.ObservedHost> observed, HostId failing)
    {
        var planned = SegmentOperation.Apply(segment).Plan(LabSegments.Infos(hosts), observed, []);
        Assert.True(planned.IsOk, string.Join("; ", planned.Errors));
        var fails = new PlanStep("fail:e2ereconn", "A step made to fail", Command.Of("false"), null, null);
        var byHost = planned.Value.Hosts.ToDictionary(h => h.Host);
        return planned.Value with
        {
            Hosts = [.. hosts.Select(h => byHost[h.Id]).Select(h => h.Host == failing ? h with { Steps = [.. h.Steps, fails] } : h)],
        };
    }

    private static string Describe(PlanExecution result, IEnumerable<ApplyEvent> events) =>
        $"{result.Status}: {result.Error}\n" + string.Join("\n", events.Select(e => e switch
        {
            StepFailed f => $"FAILED {f.Step.Host} {f.Step.StepId}: {f.Step.Failure}",
            UndoFailed u => $"UNDO FAILED {u.Undo.Host} {u.Undo.StepId}: {u.Undo.Failure}",
            UndoSucceeded u => $"undone {u.Undo.Host} {u.Undo.StepId}",
            _ => e.GetType().Name,
        }));
}
