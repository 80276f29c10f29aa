using System.Collections.Concurrent;
using Superbridge.Core.Commands;
using Superbridge.Core.Model;
using Superbridge.Core.Planning;
using Superbridge.Operations;
using Superbridge.Ssh.Apply;
using Superbridge.Ssh.Connections;
using Superbridge.Ssh.Execution;

namespace Superbridge.Ssh.Tests.Apply;

/// <summary>The executor's rules with scripted hosts: checks skip, failures roll back every host in reverse, skipped steps are not undone.</summary>
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
        Assert.Equal(["check a1", "do a1", "check a2", "check a3", "do a3", "sh -c ! \"$@\" sh check a1", "undo a1"], h1.Ran);
        Assert.Equal(["check b1", "do b1", "check b2", "do b2", "sh -c ! \"$@\" sh check b1", "undo b1"], h2.Ran);
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
        Assert.Equal(["sh -c ! \"$@\" sh check a2", "undo a2", "sh -c ! \"$@\" sh check a1", "undo a1"], fresh.Ran);
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
        Assert.Equal("sh -c ! \"$@\" sh check a2", h1.Ran[^1]);
        Assert.Equal(1, reconnector.Attempts["h1"]);
        var fresh = Assert.Single(reconnector.Handed);
        Assert.Equal(["sh -c ! \"$@\" sh check a2", "undo a2", "sh -c ! \"$@\" sh check a1", "undo a1"], fresh.Ran);
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
        Assert.Equal("sh -c ! \"$@\" sh check a2", h1.Ran[^1]);
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

    private static async Task<(PlanExecution Result, List<ApplyEvent> Events)> RunAsync(SegmentPlan plan, params FakeSession[] sessions) =>
        await RunAsync(plan, reconnector: null, new ApplyOptions { MaxParallelHosts = 1 }, TimeProvider.System, sessions);

    private static async Task<(PlanExecution Result, List<ApplyEvent> Events)> RunAsync(SegmentPlan plan, IHostReconnector? reconnector,
        ApplyOptions options, TimeProvider time, params FakeSession[] sessions)
    {
        var locks = new HostLocks();
        using var lease = await locks.AcquireAsync(plan.Hosts.Select(h => h.Host));
        var events = new ConcurrentQueue<ApplyEvent>();
        var result = await new PlanExecutor(time).ExecuteAsync(plan, sessions.ToDictionary(s => s.HostId, s => (IHostSession)s), lease,
            e => { events.Enqueue(e); return ValueTask.CompletedTask; }, options, reconnector: reconnector);
        return (result, events.ToList());
    }

    /// <summary>
    /// A host holding a set of done items: "do X" adds X, "undo X" removes it, "check X" exits 0 when X is there; listed
    /// argvs fail. After the <c>dropsAfter</c> argv ran, the connection is gone: every later run throws, and
    /// <see cref="IsConnected"/> turns false unless <c>dropUnnoticed</c> (as a client that has not read the reset yet).
    /// </summary>
    private sealed class FakeSession(string id, string[]? done = null, string[]? failing = null, string[]? lost = null,
        string? dropsAfter = null, bool dropUnnoticed = false, HashSet<string>? state = null) : IHostSession
    {
        private readonly HashSet<string> _state = state ?? [.. (done ?? []).Select(d => d.Split(' ')[^1])];
        private bool _dropped;

        public List<string> Ran { get; } = [];
        public HostId HostId { get; } = new(id);
        public HostEndpoint Endpoint { get; } = HostEndpoint.Root("192.0.2.1");
        public HostKeyInfo HostKey { get; } = new("ssh-ed25519", 256, HostKeyFingerprint.Parse("SHA256:" + new string('A', 43)));
        public long ConnectionId => 1;
        public bool IsConnected => !_dropped || dropUnnoticed;

        /// <summary>A new connection to the same host: same state, same failing argvs, no drop.</summary>
        public FakeSession Reconnected() => new(id, failing: failing, state: _state);

        public Task<CommandResult> RunAsync(Command command, RunOptions? options = null, CancellationToken cancellationToken = default)
        {
            var line = string.Join(' ', command.Argv);
            Ran.Add(line);
            if (_dropped || lost?.Contains(line) == true)
                throw new SshFailureException(new SshFailure(SshFailureReason.Other, $"Lost the connection to {Endpoint} while running `{line}`"));
            if (line == dropsAfter) _dropped = true;
            var item = command.Argv[^1];
            int exit;
            if (command.Argv[0] == "sh") exit = _state.Contains(item) ? 1 : 0; // the negated check
            else if (failing?.Contains(line) == true) exit = 2;
            else if (command.Argv[0] == "check") exit = _state.Contains(item) ? 0 : 1;
            else
            {
                exit = 0;
                if (command.Argv[0] == "do") _state.Add(item);
                if (command.Argv[0] == "undo") _state.Remove(item);
            }
            var now = DateTimeOffset.UnixEpoch;
            return Task.FromResult(new CommandResult
            {
                ExitCode = exit, StandardOutput = "", StandardError = exit == 2 ? $"boom: {command.Argv[^1]} refused\n" : "",
                StartTime = now, ExitTime = now, RunTime = TimeSpan.Zero, CommandLine = line,
            });
        }

        public Task<CommandResult> RunScriptAsync(string script, ScriptDelivery delivery = ScriptDelivery.StandardInput, RunOptions? options = null,
            CancellationToken cancellationToken = default) => throw new NotSupportedException();
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
