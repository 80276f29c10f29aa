using Superbridge.Core.Programs;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Superbridge.Core.Commands;
using Superbridge.Core.Model;
using Superbridge.Core.Planning;
using Superbridge.Operations;
using Superbridge.Ssh.Apply;
using Superbridge.Ssh.Connections;
using Superbridge.Ssh.Execution;

namespace Superbridge.Ssh.Tests.Apply;

/// <summary>
/// The executor's rules with scripted hosts: checks skip, failures roll back every host in reverse, skipped steps are not undone.
/// Each host's programs run under the machine's real <c>/bin/sh</c>, with <c>do</c>, <c>undo</c> and <c>check</c> as small scripts.
/// </summary>
public sealed class PlanExecutorTests
{
    private static PlanStep Step(string id, bool withUndo = true) =>
        new(id, $"step {id}", Command.Of("do", id), withUndo ? Command.Of("undo", id) : null, Command.Of("check", id));

    private static SegmentPlan Plan(params HostPlan[] hosts) => new() { Segment = "lan", Mtu = 1450, Hosts = [.. hosts] };

    [Fact]
    public async Task A_failure_on_the_second_host_undoes_the_completed_steps_of_both_hosts_in_reverse_and_leaves_skipped_steps()
    {
        var h1 = new FakeSession("h1", done: ["check a2"]);
        var h2 = new FakeSession("h2", failing: ["do b2"]);
        var plan = Plan(new HostPlan("h1", [Step("a1"), Step("a2"), Step("a3", withUndo: false)]), new HostPlan("h2", [Step("b1"), Step("b2"), Step("b3")]));

        var (result, events) = await RunAsync(plan, h1, h2);

        Assert.Equal(ApplyStatus.RolledBack, result.Status);
        Assert.Equal((new HostId("h2"), "b2"), (result.Error!.Host!.Value, result.Error.StepId));
        Assert.Contains("step b2", result.Error.Message);
        Assert.Equal("boom: b2 refused", result.Error.CommandError);
        // The undo program runs the check itself (the step is undone when it passes), not `sh -c '! "$@"'`.
        Assert.Equal(["check a1", "do a1", "check a2", "check a3", "do a3", "check a1", "undo a1"], h1.Ran);
        Assert.Equal(["check b1", "do b1", "check b2", "do b2", "check b1", "undo b1"], h2.Ran);
        Assert.Equal(["a3", "a1"], result.Hosts[0].Undone.Select(u => u.StepId));
        Assert.Equal(UndoOutcome.NothingToUndo, result.Hosts[0].Undone[0].Outcome);
        // Rollback goes host by host in reverse plan order: h2 first, then h1.
        var undos = events.OfType<UndoSucceeded>().Select(u => u.Undo.Host.Value).ToList();
        Assert.Equal(["h2", "h1", "h1"], undos);
    }

    [Fact]
    public async Task An_undo_that_fails_is_reported_and_the_rollback_goes_on()
    {
        var h1 = new FakeSession("h1", failing: ["do a3", "undo a2"]);
        var plan = Plan(new HostPlan("h1", [Step("a1"), Step("a2"), Step("a3")]));

        var (result, events) = await RunAsync(plan, h1);

        Assert.Equal(ApplyStatus.Failed, result.Status);
        Assert.Equal([UndoOutcome.Failed, UndoOutcome.Succeeded], result.Hosts[0].Undone.Select(u => u.Outcome));
        Assert.Single(events.OfType<UndoFailed>());
        Assert.Contains("undo a1", h1.Ran);
    }

    [Fact]
    public async Task Steps_whose_checks_pass_are_all_skipped_and_nothing_else_runs()
    {
        var h1 = new FakeSession("h1", done: ["check a1", "check a2"]);
        var (result, events) = await RunAsync(Plan(new HostPlan("h1", [Step("a1"), Step("a2")])), h1);

        Assert.Equal(ApplyStatus.Succeeded, result.Status);
        Assert.Equal(["check a1", "check a2"], h1.Ran);
        Assert.Equal(["StepStarted", "StepSkipped", "StepStarted", "StepSkipped", "HostFinished"], events.Select(e => e.GetType().Name));
    }

    [Fact]
    public async Task A_lost_connection_is_a_failure_with_the_connection_error()
    {
        var h1 = new FakeSession("h1", lost: ["do a2"]);
        var (result, _) = await RunAsync(Plan(new HostPlan("h1", [Step("a1"), Step("a2")])), h1);

        Assert.Equal(ApplyStatus.RolledBack, result.Status);
        Assert.Contains("Lost the connection", result.Error!.Message);
    }

    [Fact]
    public async Task The_executor_refuses_a_plan_whose_hosts_it_does_not_hold_the_locks_of()
    {
        var locks = new HostLocks();
        using var lease = await locks.AcquireAsync([new HostId("h2")]);
        var plan = Plan(new HostPlan("h1", [Step("a1")]));

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            new PlanExecutor(TimeProvider.System).ExecuteAsync(plan, new Dictionary<HostId, IHostSession> { ["h1"] = new FakeSession("h1") }, lease));
    }

    [Fact]
    public async Task A_second_operation_on_a_host_waits_for_the_first_to_release_it()
    {
        var locks = new HostLocks();
        var first = await locks.AcquireAsync([new HostId("h2"), new HostId("h1")]);
        var second = locks.AcquireAsync([new HostId("h1")]);
        await Task.Delay(50);
        Assert.False(second.IsCompleted);
        Assert.True(locks.IsBusy("h1"));
        first.Dispose();
        using var lease = await second.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(locks.IsBusy("h2"));
    }

    [Fact]
    public async Task Rollback_reconnects_to_a_host_whose_connection_dropped_and_undoes_its_completed_steps_there_in_reverse()
    {
        var h1 = new FakeSession("h1", dropsAfter: "do a2");
        var h2 = new FakeSession("h2", failing: ["do b2"]);
        var reconnector = new FakeReconnector(refusals: 2, h1, h2);
        var plan = Plan(new HostPlan("h1", [Step("a1"), Step("a2")]), new HostPlan("h2", [Step("b1"), Step("b2")]));

        var (result, _) = await RunAsync(plan, reconnector, new ApplyOptions { MaxParallelHosts = 1, ReconnectBackoff = TimeSpan.Zero }, TimeProvider.System, h1, h2);

        Assert.Equal(ApplyStatus.RolledBack, result.Status);
        // Nothing was tried on the dead connection; the third attempt got through.
        Assert.Equal(["check a1", "do a1", "check a2", "do a2"], h1.Ran);
        Assert.Equal(3, reconnector.Attempts["h1"]);
        Assert.False(reconnector.Attempts.ContainsKey("h2"));
        var fresh = Assert.Single(reconnector.Handed);
        Assert.Equal(["check a2", "undo a2", "check a1", "undo a1"], fresh.Ran);
        Assert.Equal([("a2", UndoOutcome.Succeeded), ("a1", UndoOutcome.Succeeded)], result.Hosts[0].Undone.Select(u => (u.StepId, u.Outcome)));
    }

    [Fact]
    public async Task An_undo_cut_off_by_a_connection_error_is_retried_once_on_a_new_session()
    {
        // The client has not noticed the drop: the session says it is connected until a command fails.
        var h1 = new FakeSession("h1", dropsAfter: "do a2", dropUnnoticed: true);
        var h2 = new FakeSession("h2", failing: ["do b1"]);
        var reconnector = new FakeReconnector(refusals: 0, h1, h2);
        var plan = Plan(new HostPlan("h1", [Step("a1"), Step("a2")]), new HostPlan("h2", [Step("b1")]));

        var (result, events) = await RunAsync(plan, reconnector, new ApplyOptions { MaxParallelHosts = 1, ReconnectBackoff = TimeSpan.Zero }, TimeProvider.System, h1, h2);

        Assert.Equal(ApplyStatus.RolledBack, result.Status);
        // The undo program could not even start on the dead connection: the last thing h1 ran is the forward step.
        Assert.Equal("do a2", h1.Ran[^1]);
        Assert.Equal(2, h1.ScriptRuns);
        Assert.Equal(1, reconnector.Attempts["h1"]);
        var fresh = Assert.Single(reconnector.Handed);
        Assert.Equal(["check a2", "undo a2", "check a1", "undo a1"], fresh.Ran);
        Assert.All(result.Hosts[0].Undone, u => Assert.Equal(UndoOutcome.Succeeded, u.Outcome));
        Assert.Empty(events.OfType<UndoFailed>());
    }

    [Fact]
    public async Task A_host_that_never_comes_back_fails_each_of_its_undos_naming_why_and_the_other_hosts_are_still_rolled_back()
    {
        // h2's connection drops after b2, so b3 fails with the lost connection and starts the rollback.
        var h1 = new FakeSession("h1");
        var h2 = new FakeSession("h2", dropsAfter: "do b2");
        var reconnector = new FakeReconnector(refusals: int.MaxValue, h1, h2);
        var plan = Plan(new HostPlan("h1", [Step("a1"), Step("a2")]), new HostPlan("h2", [Step("b1"), Step("b2"), Step("b3")]));

        var (result, events) = await RunAsync(plan, reconnector, new ApplyOptions { MaxParallelHosts = 1, ReconnectBackoff = TimeSpan.Zero }, TimeProvider.System, h1, h2);

        Assert.Equal(ApplyStatus.Failed, result.Status);
        Assert.Equal((new HostId("h2"), "b3"), (result.Error!.Host!.Value, result.Error.StepId));
        var second = result.Hosts[1];
        Assert.Equal(["b2", "b1"], second.Undone.Select(u => u.StepId));
        Assert.All(second.Undone, u =>
        {
            Assert.Equal(UndoOutcome.Failed, u.Outcome);
            Assert.Null(u.Run);
            Assert.Contains($"Undoing \"step {u.StepId}\" on h2 did not run: could not reconnect to h2 after 4 attempts: h2 refused the connection (attempt 4)", u.Failure!.Message);
        });
        Assert.Equal(["check b1", "do b1", "check b2", "do b2", "check b3"], h2.Ran);
        Assert.Empty(reconnector.Handed);
        Assert.Equal([("a2", UndoOutcome.Succeeded), ("a1", UndoOutcome.Succeeded)], result.Hosts[0].Undone.Select(u => (u.StepId, u.Outcome)));
        Assert.Equal(["h2", "h2"], events.OfType<UndoFailed>().Select(e => e.Undo.Host.Value));
        Assert.Equal(["h1", "h1"], events.OfType<UndoSucceeded>().Select(e => e.Undo.Host.Value));
    }

    [Fact]
    public async Task An_undo_cut_off_on_a_host_that_does_not_come_back_keeps_its_run_and_the_later_undos_do_not_run()
    {
        var h1 = new FakeSession("h1", dropsAfter: "do a2", dropUnnoticed: true);
        var h2 = new FakeSession("h2", failing: ["do b1"]);
        var reconnector = new FakeReconnector(refusals: int.MaxValue, h1, h2);
        var plan = Plan(new HostPlan("h1", [Step("a1"), Step("a2")]), new HostPlan("h2", [Step("b1")]));

        var (result, _) = await RunAsync(plan, reconnector, new ApplyOptions { MaxParallelHosts = 1, ReconnectAttempts = 2, ReconnectBackoff = TimeSpan.Zero }, TimeProvider.System, h1, h2);

        Assert.Equal(ApplyStatus.Failed, result.Status);
        // The undo program could not even start on the dead connection: the last thing h1 ran is the forward step.
        Assert.Equal("do a2", h1.Ran[^1]);
        Assert.Equal(2, h1.ScriptRuns);
        var (cutOff, notRun) = (result.Hosts[0].Undone[0], result.Hosts[0].Undone[1]);
        Assert.Equal(("a2", UndoOutcome.Failed), (cutOff.StepId, cutOff.Outcome));
        Assert.Contains("Lost the connection", cutOff.Run!.Error);
        Assert.Contains("Undoing \"step a2\" on h1 was cut off (Lost the connection", cutOff.Failure!.Message);
        Assert.EndsWith("and not retried: could not reconnect to h1 after 2 attempts: h1 refused the connection (attempt 2)", cutOff.Failure.Message);
        Assert.Equal(("a1", UndoOutcome.Failed, null), (notRun.StepId, notRun.Outcome, notRun.Run));
        Assert.Equal("Undoing \"step a1\" on h1 did not run: could not reconnect to h1 after 2 attempts: h1 refused the connection (attempt 2)", notRun.Failure!.Message);
        Assert.Equal(2, reconnector.Attempts["h1"]);
    }

    [Fact]
    public async Task Reconnect_attempts_are_bounded_by_the_options_and_the_wait_doubles_before_each()
    {
        var h1 = new FakeSession("h1", dropsAfter: "do a2");
        var h2 = new FakeSession("h2", failing: ["do b1"]);
        var reconnector = new FakeReconnector(refusals: int.MaxValue, h1, h2);
        var time = new InstantWaits();
        var plan = Plan(new HostPlan("h1", [Step("a1"), Step("a2")]), new HostPlan("h2", [Step("b1")]));

        var (result, _) = await RunAsync(plan, reconnector,
            new ApplyOptions { MaxParallelHosts = 1, ReconnectAttempts = 3, ReconnectBackoff = TimeSpan.FromSeconds(1) }, time, h1, h2);

        Assert.Equal(ApplyStatus.Failed, result.Status);
        // One series of attempts for the host, not one per undo.
        Assert.Equal(3, reconnector.Attempts["h1"]);
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4)], time.Waits);
        Assert.All(result.Hosts[0].Undone, u => Assert.Contains("could not reconnect to h1 after 3 attempts", u.Failure!.Message));
    }

    [Fact]
    public async Task A_step_failing_in_the_middle_of_a_hosts_program_rolls_back_the_steps_before_it_there_and_every_completed_step_elsewhere()
    {
        // h2 waits until h1's program has started; h1 waits in `do a2` until h2 has failed, so h1's program is still running
        // when the failure happens: it runs to its end (a2, a3) and all of it is undone too.
        using var signals = new TempDir();
        var (h1Started, h2Failed) = (Path.Combine(signals.Path, "h1-started"), Path.Combine(signals.Path, "h2-failed"));
        var h1 = new FakeSession("h1", blockAt: "do a2", blockUntil: h2Failed);
        var h2 = new FakeSession("h2", failing: ["do b3"], blockAt: "check b1", blockUntil: h1Started);
        var plan = Plan(new HostPlan("h1", [Step("a1"), Step("a2"), Step("a3")]), new HostPlan("h2", [Step("b1"), Step("b2"), Step("b3"), Step("b4")]));

        var (result, events) = await RunAsync(plan, reconnector: null, new ApplyOptions { MaxParallelHosts = 2 }, TimeProvider.System, e =>
        {
            if (e is StepStarted { Host.Value: "h1", Index: 0 }) File.WriteAllText(h1Started, "");
            if (e is StepFailed { Step.Host.Value: "h2" }) File.WriteAllText(h2Failed, "");
        }, h1, h2);

        Assert.Equal(ApplyStatus.RolledBack, result.Status);
        Assert.Equal((new HostId("h2"), "b3"), (result.Error!.Host!.Value, result.Error.StepId));
        Assert.Equal("boom: b3 refused", result.Error.CommandError);
        // h2 stopped at b3 (b4 never ran) and undid exactly b2 and b1.
        Assert.Equal(["check b1", "do b1", "check b2", "do b2", "check b3", "do b3", "check b2", "undo b2", "check b1", "undo b1"], h2.Ran);
        Assert.Equal([("b2", UndoOutcome.Succeeded), ("b1", UndoOutcome.Succeeded)], result.Hosts[1].Undone.Select(u => (u.StepId, u.Outcome)));
        Assert.Equal([StepOutcome.Succeeded, StepOutcome.Succeeded, StepOutcome.Failed], result.Hosts[1].Steps.Select(s => s.Outcome));
        // The new rule: h1's program was not stopped by h2's failure; it ran to its end, and everything it did is undone.
        Assert.Equal(["check a1", "do a1", "check a2", "do a2", "check a3", "do a3", "check a3", "undo a3", "check a2", "undo a2", "check a1", "undo a1"], h1.Ran);
        Assert.Equal(["a3", "a2", "a1"], result.Hosts[0].Undone.Select(u => u.StepId));
        var failedAt = events.FindIndex(e => e is StepFailed);
        Assert.True(events.FindIndex(e => e is StepSucceeded { Step.StepId: "a2" }) > failedAt);
        Assert.Empty(h1.State);
        Assert.Empty(h2.State);
    }

    [Fact]
    public async Task Each_host_runs_one_program_forward_and_one_for_its_rollback_and_no_single_commands()
    {
        var h1 = new FakeSession("h1");
        var h2 = new FakeSession("h2", failing: ["do b3"]);
        var h3 = new FakeSession("h3", done: ["check c1"]);
        var plan = Plan(new HostPlan("h1", [Step("a1"), Step("a2"), Step("a3")]), new HostPlan("h2", [Step("b1"), Step("b2"), Step("b3")]),
            new HostPlan("h3", [Step("c1")]));

        var (result, events) = await RunAsync(plan, reconnector: null, new ApplyOptions { MaxParallelHosts = 1 }, TimeProvider.System, _ => { }, h1, h2, h3);

        Assert.Equal(ApplyStatus.RolledBack, result.Status);
        // h1 and h2: their apply program, then their undo program; never a command of its own.
        Assert.Equal((2, 0), (h1.ScriptRuns, h1.CommandRuns));
        Assert.Equal((2, 0), (h2.ScriptRuns, h2.CommandRuns));
        Assert.Equal(["check a3", "undo a3", "check a2", "undo a2", "check a1", "undo a1"], h1.Ran[6..]);
        Assert.Equal(["check b2", "undo b2", "check b1", "undo b1"], h2.Ran[6..]);
        // h3 had not started when h2 failed (one host at a time): it never starts, and it has nothing to roll back.
        Assert.Equal((0, 0), (h3.ScriptRuns, h3.CommandRuns));
        Assert.Equal(["HostFinished"], events.Where(e => e is HostFinished { Host.Value: "h3" } or StepStarted { Host.Value: "h3" }).Select(e => e.GetType().Name));
        Assert.False(events.OfType<HostFinished>().Single(e => e.Host.Value == "h3").Completed);
    }

    [Fact]
    public async Task The_program_a_host_runs_is_byte_for_byte_the_one_the_preview_shows_and_downloads()
    {
        var h1 = new FakeSession("h1", done: ["check a2"]);
        var plan = Plan(new HostPlan("h1", [Step("a1"), Step("a2"), Step("a3")]));

        var (result, _) = await RunAsync(plan, h1);

        Assert.Equal(ApplyStatus.Succeeded, result.Status);
        Assert.Equal(HostProgram.Apply(plan.Hosts[0]), Assert.Single(h1.Scripts));
    }

    [Fact]
    public async Task A_program_that_cannot_run_on_a_host_fails_that_host_before_any_step()
    {
        var h1 = new FakeSession("h1", hideTool: "base64");
        var (result, events) = await RunAsync(Plan(new HostPlan("h1", [Step("a1"), Step("a2")])), h1);

        Assert.Equal(ApplyStatus.RolledBack, result.Status);
        Assert.Equal(new HostId("h1"), result.Error!.Host);
        Assert.Null(result.Error.StepId);
        Assert.Contains("base64 is missing", result.Error.Message);
        Assert.Empty(h1.Ran);
        Assert.Equal(["StepStarted", "StepFailed", "HostFinished", "RollbackStarted"], events.Select(e => e.GetType().Name));
    }

    [Fact]
    public async Task A_cancelled_operation_stops_the_running_program_after_its_step_in_progress_starts_no_other_host_and_rolls_back()
    {
        using var signals = new TempDir();
        var release = Path.Combine(signals.Path, "release");
        using var cancel = new CancellationTokenSource();
        var h1 = new FakeSession("h1", blockAt: "do a1", blockUntil: release);
        var h2 = new FakeSession("h2");
        var plan = Plan(new HostPlan("h1", [Step("a1"), Step("a2")]), new HostPlan("h2", [Step("b1")]));

        var (result, events) = await RunAsync(plan, reconnector: null, new ApplyOptions { MaxParallelHosts = 1 }, TimeProvider.System, e =>
        {
            if (e is StepStarted { Host.Value: "h1", Index: 0 })
            {
                // Cancelled while a1 runs (the program may otherwise see the stop before a1 and run nothing); a1 finishes
                // once the stop request has reached the host: then a2 must not run.
                _ = Task.Run(async () =>
                {
                    for (var i = 0; i < 1000 && !h1.Ran.Contains("do a1"); i++) await Task.Delay(10);
                    cancel.Cancel();
                    for (var i = 0; i < 500 && !h1.StopRequested; i++) await Task.Delay(10);
                    File.WriteAllText(release, "");
                });
            }
        }, cancel.Token, h1, h2);

        Assert.Equal(ApplyStatus.RolledBack, result.Status);
        Assert.Equal("The operation was cancelled.", result.Error!.Message);
        Assert.True(h1.StopRequested);
        Assert.Equal(["check a1", "do a1", "check a1", "undo a1"], h1.Ran);
        Assert.Empty(h2.Ran);
        // The live log never says a2 started: it did not.
        Assert.DoesNotContain(events, e => e is StepStarted { Host.Value: "h1", Index: 1 });
    }

    private static async Task<(PlanExecution Result, List<ApplyEvent> Events)> RunAsync(SegmentPlan plan, params FakeSession[] sessions) =>
        await RunAsync(plan, reconnector: null, new ApplyOptions { MaxParallelHosts = 1 }, TimeProvider.System, sessions);

    private static Task<(PlanExecution Result, List<ApplyEvent> Events)> RunAsync(SegmentPlan plan, IHostReconnector? reconnector,
        ApplyOptions options, TimeProvider time, params FakeSession[] sessions) =>
        RunAsync(plan, reconnector, options, time, null, CancellationToken.None, sessions);

    private static Task<(PlanExecution Result, List<ApplyEvent> Events)> RunAsync(SegmentPlan plan, IHostReconnector? reconnector,
        ApplyOptions options, TimeProvider time, Action<ApplyEvent>? onEvent, params FakeSession[] sessions) =>
        RunAsync(plan, reconnector, options, time, onEvent, CancellationToken.None, sessions);

    private static async Task<(PlanExecution Result, List<ApplyEvent> Events)> RunAsync(SegmentPlan plan, IHostReconnector? reconnector,
        ApplyOptions options, TimeProvider time, Action<ApplyEvent>? onEvent, CancellationToken cancellationToken, params FakeSession[] sessions)
    {
        var locks = new HostLocks();
        using var lease = await locks.AcquireAsync(plan.Hosts.Select(h => h.Host));
        var events = new ConcurrentQueue<ApplyEvent>();
        var result = await new PlanExecutor(time).ExecuteAsync(plan, sessions.ToDictionary(s => s.HostId, s => (IHostSession)s), lease,
            e => { events.Enqueue(e); onEvent?.Invoke(e); return ValueTask.CompletedTask; }, options, cancellationToken, reconnector: reconnector)
            .WaitAsync(TimeSpan.FromSeconds(60));
        return (result, events.ToList());
    }

    private sealed class TempDir : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("sbexec-").FullName;

        public void Dispose()
        {
            try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>
    /// A host holding a set of done items (files in a state dir): <c>do X</c> adds X, <c>undo X</c> removes it, <c>check X</c>
    /// exits 0 when X is there; listed lines fail (exit 2, <c>boom: X refused</c>). Its programs run under the real
    /// <c>/bin/sh</c> with <c>do</c>, <c>undo</c> and <c>check</c> as scripts first on the PATH, which log their line
    /// (<see cref="Ran"/>). After the <c>dropsAfter</c> line ran, the connection is gone: the next command logs its line and
    /// kills the program (the run throws), every later run throws at once, and <see cref="IsConnected"/> turns false unless
    /// <c>dropUnnoticed</c> (as a client that has not read the reset yet). A <c>lost</c> line kills its program (the run
    /// throws) but later runs work. <c>blockAt</c> waits (10 s at most) before doing its line until <c>blockUntil</c> exists.
    /// </summary>
    private sealed class FakeSession : IHostSession
    {
        private const string Tool = """
            #!/bin/sh
            name=${0##*/}
            line="$name $*"
            d=$SB_FAKE
            printf '%s\n' "$line" >>"$d/log"
            if [ -e "$d/dropped" ] || grep -qxF -e "$line" "$d/lost"; then
            	: >"$d/cut"
            	kill -KILL "$PPID"
            	exit 1
            fi
            if [ "$line" = "$SB_BLOCK_AT" ]; then
            	i=0
            	while [ ! -e "$SB_BLOCK_UNTIL" ] && [ "$i" -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
            fi
            [ "$line" = "$SB_DROPS_AFTER" ] && : >"$d/dropped"
            if grep -qxF -e "$line" "$d/failing"; then
            	printf 'boom: %s refused\n' "$1" >&2
            	exit 2
            fi
            case $name in
            do) : >"$SB_STATE/$1" ;;
            undo) rm -f "$SB_STATE/$1" ;;
            check) [ -e "$SB_STATE/$1" ] || exit 1 ;;
            esac
            exit 0

            """;

        private static readonly ConcurrentBag<string> Dirs = [];

        static FakeSession() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var dir in Dirs)
            {
                try { Directory.Delete(dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            }
        };

        private readonly string _dir;
        private readonly string _bin;
        private readonly string _stateDir;
        private readonly string[] _failing;
        private readonly string? _dropsAfter;
        private readonly bool _dropUnnoticed;
        private readonly string? _blockAt;
        private readonly string? _blockUntil;
        private int _scriptRuns;
        private int _commandRuns;

        public FakeSession(string id, string[]? done = null, string[]? failing = null, string[]? lost = null,
            string? dropsAfter = null, bool dropUnnoticed = false, string? stateDir = null, string? blockAt = null, string? blockUntil = null,
            string? hideTool = null)
        {
            HostId = new HostId(id);
            _dir = Directory.CreateTempSubdirectory($"sbfake-{id}-").FullName;
            Dirs.Add(_dir);
            _bin = Path.Combine(_dir, "bin");
            Directory.CreateDirectory(_bin);
            foreach (var name in new[] { "do", "undo", "check" })
            {
                var path = Path.Combine(_bin, name);
                File.WriteAllText(path, Tool.Replace("\r", ""));
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
            if (hideTool is not null)
            {
                // A PATH of this dir only, with the tools the program needs except the hidden one.
                foreach (var tool in new[] { "mktemp", "base64", "rm", "cat" }.Where(t => t != hideTool))
                    File.CreateSymbolicLink(Path.Combine(_bin, tool), Which(tool));
                _hidden = true;
            }
            _stateDir = stateDir ?? Path.Combine(_dir, "state");
            Directory.CreateDirectory(_stateDir);
            foreach (var item in (done ?? []).Select(d => d.Split(' ')[^1])) File.WriteAllText(Path.Combine(_stateDir, item), "");
            _failing = failing ?? [];
            File.WriteAllLines(Path.Combine(_dir, "failing"), _failing);
            File.WriteAllLines(Path.Combine(_dir, "lost"), lost ?? []);
            (_dropsAfter, _dropUnnoticed, _blockAt, _blockUntil) = (dropsAfter, dropUnnoticed, blockAt, blockUntil);
        }

        private readonly bool _hidden;

        private static string Which(string tool) =>
            new[] { "/usr/bin", "/bin", "/usr/local/bin" }.Select(d => Path.Combine(d, tool)).First(File.Exists);

        /// <summary>Every program sent to this host, as sent.</summary>
        public ConcurrentQueue<string> Scripts { get; } = new();

        /// <summary>The lines the host's commands ran, in order.</summary>
        public List<string> Ran => File.Exists(Path.Combine(_dir, "log")) ? [.. File.ReadAllLines(Path.Combine(_dir, "log"))] : [];

        /// <summary>The items done on the host.</summary>
        public List<string> State => [.. Directory.GetFiles(_stateDir).Select(f => Path.GetFileName(f)!)];

        public int ScriptRuns => Volatile.Read(ref _scriptRuns);
        public int CommandRuns => Volatile.Read(ref _commandRuns);

        public HostId HostId { get; }
        public HostEndpoint Endpoint { get; } = HostEndpoint.Root("192.0.2.1");
        public HostKeyInfo HostKey { get; } = new("ssh-ed25519", 256, HostKeyFingerprint.Parse("SHA256:" + new string('A', 43)));
        public long ConnectionId => 1;
        private bool Dropped => File.Exists(Path.Combine(_dir, "dropped"));
        public bool IsConnected => !Dropped || _dropUnnoticed;

        /// <summary>A new connection to the same host: same state, same failing lines, no drop.</summary>
        public FakeSession Reconnected() => new(HostId.Value, failing: _failing, stateDir: _stateDir);

        /// <summary>Whether the executor asked this host's running program to stop (the one single command it sends).</summary>
        public bool StopRequested => Volatile.Read(ref _stopRequests) > 0;

        private int _stopRequests;

        public Task<CommandResult> RunAsync(Command command, RunOptions? options = null, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _commandRuns);
            if (command.Argv is ["touch", var stop] && stop.EndsWith("/stop", StringComparison.Ordinal) && stop.StartsWith(_dir, StringComparison.Ordinal))
            {
                // The program runs here, so its private directory is here too.
                if (Directory.Exists(Path.GetDirectoryName(stop))) File.WriteAllText(stop, "");
                Interlocked.Increment(ref _stopRequests);
                var now = DateTimeOffset.UtcNow;
                return Task.FromResult(new CommandResult
                {
                    ExitCode = 0, StandardOutput = "", StandardError = "", StartTime = now, ExitTime = now, RunTime = TimeSpan.Zero, CommandLine = command.ToShellLine(),
                });
            }
            throw new NotSupportedException("A host's steps run as one program: no single command is expected but a request to stop it.");
        }

        private SshFailureException Lost() =>
            new(new SshFailure(SshFailureReason.Other, $"Lost the connection to {Endpoint} while running `sh -s`"));

        public async Task<CommandResult> RunScriptAsync(string script, ScriptDelivery delivery = ScriptDelivery.StandardInput, RunOptions? options = null,
            CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _scriptRuns);
            Scripts.Enqueue(script);
            Assert.Equal(ScriptDelivery.StandardInput, delivery);
            if (Dropped) throw Lost();
            var start = new ProcessStartInfo("/bin/sh", "-s")
            {
                RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = _dir,
            };
            start.Environment["PATH"] = _hidden ? _bin : _bin + ":" + Environment.GetEnvironmentVariable("PATH");
            start.Environment["TMPDIR"] = _dir;
            start.Environment["SB_FAKE"] = _dir;
            start.Environment["SB_STATE"] = _stateDir;
            start.Environment["SB_DROPS_AFTER"] = _dropsAfter ?? "";
            start.Environment["SB_BLOCK_AT"] = _blockAt ?? "";
            start.Environment["SB_BLOCK_UNTIL"] = _blockUntil ?? "";
            var started = DateTimeOffset.UtcNow;
            using var shell = Process.Start(start)!;
            var stderr = shell.StandardError.ReadToEndAsync(CancellationToken.None);
            try
            {
                await shell.StandardInput.WriteAsync(script);
                shell.StandardInput.Close();
            }
            catch (IOException)
            {
                // The program was killed before it read all of itself.
            }
            var stdout = new StringBuilder();
            while (await shell.StandardOutput.ReadLineAsync(CancellationToken.None) is { } line)
            {
                stdout.Append(line).Append('\n');
                if (options?.OnOutputLine is { } onLine) await onLine(line);
            }
            await shell.WaitForExitAsync(CancellationToken.None);
            var error = await stderr;
            var cut = Path.Combine(_dir, "cut");
            if (File.Exists(cut))
            {
                File.Delete(cut);
                throw Lost();
            }
            var now = DateTimeOffset.UtcNow;
            return new CommandResult
            {
                ExitCode = shell.ExitCode, StandardOutput = stdout.ToString(), StandardError = error,
                StartTime = started, ExitTime = now, RunTime = now - started, CommandLine = "sh -s",
            };
        }
    }

    /// <summary>Refuses the first <c>refusals</c> attempts per host (a host still down), then hands out a new session to the same host.</summary>
    private sealed class FakeReconnector(int refusals, params FakeSession[] hosts) : IHostReconnector
    {
        public Dictionary<HostId, int> Attempts { get; } = [];
        public List<FakeSession> Handed { get; } = [];

        public Task<IHostSession> ReconnectAsync(HostId host, CancellationToken cancellationToken)
        {
            var attempt = Attempts[host] = Attempts.GetValueOrDefault(host) + 1;
            if (attempt <= refusals)
                throw new SshFailureException(new SshFailure(SshFailureReason.Refused, $"{host} refused the connection (attempt {attempt})"));
            var fresh = hosts.Single(h => h.HostId == host).Reconnected();
            Handed.Add(fresh);
            return Task.FromResult<IHostSession>(fresh);
        }
    }

    /// <summary>The system clock, except that every wait is recorded and ends at once.</summary>
    private sealed class InstantWaits : TimeProvider
    {
        private readonly ConcurrentQueue<TimeSpan> _waits = new();

        public List<TimeSpan> Waits => [.. _waits];

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            _waits.Enqueue(dueTime);
            return System.CreateTimer(callback, state, TimeSpan.Zero, period);
        }
    }
}
