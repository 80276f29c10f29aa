using System.Collections.Immutable;
using Superbridge.Core.Commands;
using Superbridge.Core.Model;
using Superbridge.Core.Planning;
using Superbridge.Operations;
using Superbridge.Ssh.Apply;
using Superbridge.Web.Topology;

namespace Superbridge.Web.Tests.Topology;

public sealed class ApplyLogModelTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    internal static SegmentPlan Plan(params (string Host, string[] Steps)[] hosts) => new()
    {
        Segment = "lan1",
        Mtu = 1450,
        Hosts = [.. hosts.Select(h => new HostPlan(h.Host, [.. h.Steps.Select(s => new PlanStep(s, $"create {s}", Command.Of("ip", "link", "add", s), Command.Of("ip", "link", "del", s), null))]))],
    };

    internal static StepResult Step(string host, int index, string id, StepOutcome outcome, int exit = 0, string stderr = "") =>
        new(host, index, id, $"create {id}", outcome, null,
            new CommandRun(Command.Of("ip", "link", "add", id), exit, "", stderr, T0, TimeSpan.FromMilliseconds(20)));

    internal static UndoResult Undo(string host, string id) =>
        new(host, id, $"create {id}", UndoOutcome.Succeeded, new CommandRun(Command.Of("ip", "link", "del", id), 0, "", "", T0, TimeSpan.FromMilliseconds(5)));

    internal static ApplyResult Result(ApplyStatus status, ApplyFailure? error = null) => new()
    {
        Segment = "lan1", Operation = SegmentOperationKind.Apply, Status = status, StartedAt = T0, FinishedAt = T0.AddSeconds(2), Error = error,
    };

    private static ApplyLogModel Fold(params ApplyEvent[] events) => events.Aggregate(ApplyLogModel.Empty, (log, e) => log.With(e));

    [Fact]
    public void Each_host_gets_its_steps_in_order_and_a_started_step_turns_into_its_outcome()
    {
        var log = Fold(
            new PlanReady(T0, Plan(("h1", ["br", "vx"]), ("h2", ["br"]))),
            new StepStarted(T0, "h2", 0, "br", "create br"),
            new StepStarted(T0, "h1", 0, "br", "create br"),
            new StepSkipped(T0, Step("h1", 0, "br", StepOutcome.Skipped)),
            new StepSucceeded(T0, Step("h2", 0, "br", StepOutcome.Succeeded)),
            new StepStarted(T0, "h1", 1, "vx", "create vx"));

        Assert.Equal(["h1", "h2"], log.Hosts.Select(h => h.Host.Value));
        Assert.Equal(["br:Skipped", "vx:Running"], log.Hosts[0].Lines.Select(l => $"{l.StepId}:{l.Kind}"));
        Assert.Equal(["br:Succeeded"], log.Hosts[1].Lines.Select(l => $"{l.StepId}:{l.Kind}"));
        Assert.Equal("ip link add br", log.Hosts[1].Lines[0].Command);
        Assert.Equal(0, log.Hosts[1].Lines[0].ExitCode);
        Assert.Equal((3, 2, 66.7), (log.TotalSteps, log.FinishedSteps, log.Percent));
        Assert.False(log.IsFinished);
    }

    [Fact]
    public void A_failed_step_keeps_its_exit_code_and_stderr_and_the_rollback_lists_each_undo_under_its_host()
    {
        var failure = new ApplyFailure("h2", "vx", "creating vx failed", "RTNETLINK answers: File exists");
        var log = Fold(
            new PlanReady(T0, Plan(("h1", ["br"]), ("h2", ["vx"]))),
            new StepStarted(T0, "h1", 0, "br", "create br"),
            new StepSucceeded(T0, Step("h1", 0, "br", StepOutcome.Succeeded)),
            new StepStarted(T0, "h2", 0, "vx", "create vx"),
            new StepFailed(T0, Step("h2", 0, "vx", StepOutcome.Failed, exit: 2, stderr: "RTNETLINK answers: File exists\n")),
            new RollbackStarted(T0, failure),
            new UndoSucceeded(T0, Undo("h1", "br")),
            new OperationCompleted(T0, Result(ApplyStatus.RolledBack, failure)));

        var failed = log.Hosts[1].Lines.Single();
        Assert.Equal((ApplyLogKind.Failed, 2, "RTNETLINK answers: File exists"), (failed.Kind, failed.ExitCode, failed.Error));
        Assert.Equal(["br:Succeeded", "br:Undone"], log.Hosts[0].Lines.Select(l => $"{l.StepId}:{l.Kind}"));
        Assert.Equal(failure, log.RollbackCause);
        Assert.Equal(ApplyStatus.RolledBack, log.Result!.Status);
        Assert.Equal(100, log.Percent);
    }

    [Fact]
    public void A_refusal_ends_the_log_with_every_reason()
    {
        var preflight = Fold(new PreflightFailed(T0, [new PreflightProblem("h1", "kernel lacks vxlan"), new PreflightProblem(null, "cancelled")]));
        var refused = Fold(new ChangeRefused(T0, ["members[1]: host 'h9' is not known; add it first"]));

        Assert.Equal(["h1: kernel lacks vxlan", "cancelled"], preflight.Refusals.AsEnumerable());
        Assert.True(preflight.IsFinished);
        Assert.Equal(["members[1]: host 'h9' is not known; add it first"], refused.Refusals.AsEnumerable());
    }

    [Fact]
    public void Verification_and_host_summaries_are_kept()
    {
        var log = Fold(
            new PlanReady(T0, Plan(("h1", ["br"]))),
            new HostFinished(T0, "h1", true, 1, 0),
            new Verified(T0, ["h1: bridge superbr0 has MTU 1500, expected 1450"]));

        Assert.Equal((true, 1, 0), (log.Hosts[0].Completed, log.Hosts[0].Changed, log.Hosts[0].Skipped));
        Assert.Equal(["h1: bridge superbr0 has MTU 1500, expected 1450"], log.Drift!.Value.AsEnumerable());
    }
}
