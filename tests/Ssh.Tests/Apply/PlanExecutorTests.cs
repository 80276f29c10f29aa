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

    private static async Task<(PlanExecution Result, List<ApplyEvent> Events)> RunAsync(SegmentPlan plan, params FakeSession[] sessions)
    {
        var locks = new HostLocks();
        using var lease = await locks.AcquireAsync(plan.Hosts.Select(h => h.Host));
        var events = new ConcurrentQueue<ApplyEvent>();
        var result = await new PlanExecutor(TimeProvider.System).ExecuteAsync(plan, sessions.ToDictionary(s => s.HostId, s => (IHostSession)s), lease,
            e => { events.Enqueue(e); return ValueTask.CompletedTask; }, new ApplyOptions { MaxParallelHosts = 1 });
        return (result, events.ToList());
    }

    /// <summary>A host holding a set of done items: "do X" adds X, "undo X" removes it, "check X" exits 0 when X is there; listed argvs fail.</summary>
    private sealed class FakeSession(string id, string[]? done = null, string[]? failing = null, string[]? lost = null) : IHostSession
    {
        private readonly HashSet<string> _state = [.. (done ?? []).Select(d => d.Split(' ')[^1])];

        public List<string> Ran { get; } = [];
        public HostId HostId { get; } = new(id);
        public HostEndpoint Endpoint { get; } = HostEndpoint.Root("192.0.2.1");
        public HostKeyInfo HostKey { get; } = new("ssh-ed25519", 256, HostKeyFingerprint.Parse("SHA256:" + new string('A', 43)));
        public long ConnectionId => 1;
        public bool IsConnected => true;

        public Task<CommandResult> RunAsync(Command command, RunOptions? options = null, CancellationToken cancellationToken = default)
        {
            var line = string.Join(' ', command.Argv);
            Ran.Add(line);
            if (lost?.Contains(line) == true)
                throw new SshFailureException(new SshFailure(SshFailureReason.Other, $"Lost the connection to {Endpoint} while running `{line}`"));
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
}
