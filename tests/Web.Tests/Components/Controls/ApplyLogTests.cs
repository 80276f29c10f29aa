using Bunit;
using Superbridge.Core.Commands;
using Superbridge.Operations;
using Superbridge.Ssh.Apply;
using Superbridge.Web.Components.Controls;
using Superbridge.Web.Tests.Topology;
using Superbridge.Web.Tests.Topology.Support;
using Superbridge.Web.Topology;

namespace Superbridge.Web.Tests.Components.Controls;

public sealed class ApplyLogTests : TopologyTestContext
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    private IRenderedComponent<ApplyLog> RenderLog(Action<ApplyLogModel>? finished = null)
    {
        RenderProviders();
        return Render<ApplyLog>(p => p
            .Add(x => x.Run, ct => Runner.ApplyAsync(Vxlan(), create: true, null, "admin", ct))
            .Add(x => x.OnFinished, log => finished?.Invoke(log)));
    }

    private static Core.Model.SegmentSpec Vxlan() => TopologyFixtures.Vxlan("lan1", "h1", "h2");

    private ValueTask Send(ApplyEvent e) => Runner.Events.Writer.WriteAsync(e);

    private static string[] Lines(IRenderedComponent<ApplyLog> log, string host) =>
        [.. log.FindAll($"[data-host={host}] li[data-step]").Select(l => $"{l.GetAttribute("data-step")}:{l.GetAttribute("data-kind")}")];

    [Fact]
    public async Task Events_show_live_per_host_in_the_order_they_happen_with_progress()
    {
        var log = RenderLog();
        await Send(new PlanReady(T0, ApplyLogModelTests.Plan(("h1", ["br", "vx"]), ("h2", ["br"]))));
        await Send(new StepStarted(T0, "h1", 0, "br", "create br"));

        log.WaitForAssertion(() => Assert.Equal(["br:Running"], Lines(log, "h1")));
        Assert.Contains("0 of 3 steps", log.Find("[data-apply-status]").TextContent);

        await Send(new StepSucceeded(T0, ApplyLogModelTests.Step("h1", 0, "br", StepOutcome.Succeeded)));
        await Send(new StepStarted(T0, "h2", 0, "br", "create br"));
        await Send(new StepSkipped(T0, ApplyLogModelTests.Step("h2", 0, "br", StepOutcome.Skipped)));
        await Send(new StepStarted(T0, "h1", 1, "vx", "create vx"));
        await Send(new StepSucceeded(T0, ApplyLogModelTests.Step("h1", 1, "vx", StepOutcome.Succeeded)));

        log.WaitForAssertion(() =>
        {
            Assert.Equal(["br:Succeeded", "vx:Succeeded"], Lines(log, "h1"));
            Assert.Equal(["br:Skipped"], Lines(log, "h2"));
            Assert.Contains("3 of 3 steps", log.Find("[data-apply-status]").TextContent);
        });
        Assert.Equal(["ip link add br", "ip link add vx"], log.FindAll("[data-host=h1] [data-command]").Select(c => c.TextContent));
        Assert.Equal(["h1", "h2"], log.FindAll("[data-host]").Select(h => h.GetAttribute("data-host")));
        Assert.Equal("false", log.Find("[data-apply-log]").GetAttribute("data-finished"));
    }

    [Fact]
    public async Task A_failed_step_shows_its_exit_code_and_stderr_then_the_rollback_result()
    {
        var finishedSource = new TaskCompletionSource<ApplyLogModel>(TaskCreationOptions.RunContinuationsAsynchronously);
        var log = RenderLog(l => finishedSource.TrySetResult(l));
        var failure = new ApplyFailure("h2", "vx", "creating vx on h2 failed", "RTNETLINK answers: File exists");
        await Send(new PlanReady(T0, ApplyLogModelTests.Plan(("h1", ["br"]), ("h2", ["vx"]))));
        await Send(new StepStarted(T0, "h1", 0, "br", "create br"));
        await Send(new StepSucceeded(T0, ApplyLogModelTests.Step("h1", 0, "br", StepOutcome.Succeeded)));
        await Send(new StepStarted(T0, "h2", 0, "vx", "create vx"));
        await Send(new StepFailed(T0, ApplyLogModelTests.Step("h2", 0, "vx", StepOutcome.Failed, exit: 2, stderr: "RTNETLINK answers: File exists\n")));
        await Send(new RollbackStarted(T0, failure));
        await Send(new UndoSucceeded(T0, ApplyLogModelTests.Undo("h1", "br")));
        var result = ApplyLogModelTests.Result(ApplyStatus.RolledBack, failure) with
        {
            Hosts =
            [
                new HostApplyResult("h1", [ApplyLogModelTests.Step("h1", 0, "br", StepOutcome.Succeeded)], [ApplyLogModelTests.Undo("h1", "br")]),
                new HostApplyResult("h2", [ApplyLogModelTests.Step("h2", 0, "vx", StepOutcome.Failed, 2, "RTNETLINK answers: File exists\n")], []),
            ],
        };
        await Send(new OperationCompleted(T0, result));
        Runner.Events.Writer.Complete();

        var finished = await finishedSource.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var failed = log.Find("[data-host=h2] li[data-step=vx]");
        Assert.Equal("2", failed.QuerySelector("[data-exit-code]")!.GetAttribute("data-exit-code"));
        Assert.Equal("RTNETLINK answers: File exists", failed.QuerySelector("[data-stderr]")!.TextContent);
        Assert.Equal(["br:Succeeded", "br:Undone"], Lines(log, "h1"));
        Assert.Equal("rolled-back", log.Find("[data-result]").GetAttribute("data-result"));
        Assert.Equal("Rolled back", log.Find("[data-apply-status]").TextContent.Trim());
        Assert.Equal(ApplyStatus.RolledBack, finished.Result!.Status);
    }

    [Fact]
    public async Task A_refused_change_lists_every_reason_and_says_nothing_changed()
    {
        var finishedSource = new TaskCompletionSource<ApplyLogModel>(TaskCreationOptions.RunContinuationsAsynchronously);
        var log = RenderLog(l => finishedSource.TrySetResult(l));

        await Send(new ChangeRefused(T0, ["members[1]: host 'h2' is unreachable (Timeout): no answer within 10 s", "<b>bold</b>"]));
        Runner.Events.Writer.Complete();

        var finished = await finishedSource.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(2, finished.Refusals.Length);
        Assert.Equal(["members[1]: host 'h2' is unreachable (Timeout): no answer within 10 s", "<b>bold</b>"],
            log.FindAll("[data-refused] [data-reason]").Select(r => r.TextContent));
        Assert.Empty(log.FindAll("[data-refused] b"));
    }
}
