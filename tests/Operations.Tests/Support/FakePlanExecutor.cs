using Superbridge.Core.Support;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Threading.Channels;
using Superbridge.Core.Model;
using Superbridge.Core.Planning;

namespace Superbridge.Operations.Tests.Support;

/// <summary>
/// Runs plans on the observer's <see cref="FakeHost"/>s the way the SSH executor does (each host's steps in order, on the
/// first failure every completed step undone in reverse), and records what it was given. It can fail a chosen step
/// (rolled back, or with failing undos: failed), block each run until the test releases it, and honours cancellation
/// by rolling back. It counts runs that overlapped on a host.
/// </summary>
internal sealed class FakePlanExecutor(FakeHostObserver hosts, TimeProvider time, IKeyStore? keys = null) : IPlanExecutor
{
    private readonly object _gate = new();
    private readonly Dictionary<HostId, int> _active = [];
    private readonly Channel<Run> _started = Channel.CreateUnbounded<Run>();
    private int _running;

    public sealed class Run(SegmentPlan plan, OperationContext context, ImmutableArray<HostId> leaseHosts, bool leaseHeld)
    {
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public SegmentPlan Plan { get; } = plan;
        public OperationContext Context { get; } = context;
        public ImmutableArray<HostId> LeaseHosts { get; } = leaseHosts;
        public bool LeaseHeld { get; } = leaseHeld;
        public ConcurrentQueue<ApplyEvent> Events { get; } = new();
        /// <summary>Whether the token it got was cancelled while it ran.</summary>
        public bool SawCancellation { get; internal set; }
        public Task Released => _release.Task;

        public void Release() => _release.TrySetResult();
    }

    public ConcurrentQueue<Run> Calls { get; } = new();

    /// <summary>The step (by id) whose command fails; null runs every step.</summary>
    public string? FailAtStep { get; set; }

    /// <summary>With <see cref="FailAtStep"/>: every undo fails too, leaving the completed steps on the hosts.</summary>
    public bool UndoFails { get; set; }

    /// <summary>Each run waits, before its first step, until the test calls <see cref="Run.Release"/>.</summary>
    public bool Block { get; set; }

    /// <summary>Called after each successful run (e.g. to change a host behind the operation's back before it verifies).</summary>
    public Action? AfterSuccess { get; set; }

    /// <summary>Thrown by every run instead of returning (a bug in the executor, not a host's answer).</summary>
    public Exception? Throw { get; set; }

    /// <summary>Times a run started on a host while another run was on it.</summary>
    public int Overlaps { get; private set; }

    /// <summary>The most runs that were in progress at once.</summary>
    public int MaxConcurrent { get; private set; }

    /// <summary>The next blocked run to start, within <paramref name="timeout"/>.</summary>
    public async Task<Run> NextStartedAsync(TimeSpan? timeout = null) =>
        await _started.Reader.ReadAsync().AsTask().WaitAsync(timeout ?? TimeSpan.FromSeconds(10));

    /// <summary>A blocked run that started and was not taken by <see cref="NextStartedAsync"/> yet.</summary>
    public bool TryTakeStarted(out Run? run) => _started.Reader.TryRead(out run);

    public async Task<PlanExecution> ExecuteAsync(
        SegmentPlan plan, HostLease lease, OperationContext context, Func<ApplyEvent, ValueTask> onEvent, ApplyOptions options,
        CancellationToken cancellationToken)
    {
        var run = new Run(plan, context, lease.Hosts, plan.Hosts.All(h => lease.Covers(h.Host)));
        Calls.Enqueue(run);
        Enter(lease.Hosts);
        try
        {
            async ValueTask Emit(ApplyEvent e)
            {
                run.Events.Enqueue(e);
                await onEvent(e);
            }

            if (Throw is { } bug) throw bug;
            if (Block)
            {
                _started.Writer.TryWrite(run);
                try
                {
                    await run.Released.WaitAsync(cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    run.SawCancellation = true;
                    var cause = new ApplyFailure(null, null, "cancelled before the first step");
                    await Emit(new RollbackStarted(time.GetUtcNow(), cause));
                    return new PlanExecution(ApplyStatus.RolledBack, [.. plan.Hosts.Select(h => new HostApplyResult(h.Host, [], []))], cause);
                }
            }
            var execution = await RunSteps(plan, cancellationToken, run, Emit);
            if (execution.Status == ApplyStatus.Succeeded) AfterSuccess?.Invoke();
            return execution;
        }
        finally
        {
            Exit(lease.Hosts);
        }
    }

    private async Task<PlanExecution> RunSteps(SegmentPlan plan, CancellationToken cancellationToken, Run run, Func<ApplyEvent, ValueTask> emit)
    {
        var steps = plan.Hosts.ToDictionary(h => h.Host, _ => new List<StepResult>());
        var undone = plan.Hosts.ToDictionary(h => h.Host, _ => new List<UndoResult>());
        var completed = new List<(HostId Host, PlanStep Step)>();
        ApplyFailure? failure = null;
        foreach (var host in plan.Hosts)
        {
            var changed = 0;
            for (var i = 0; i < host.Steps.Length && failure is null; i++)
            {
                var step = host.Steps[i];
                if (cancellationToken.IsCancellationRequested)
                {
                    run.SawCancellation = true;
                    failure = new ApplyFailure(null, null, "cancelled");
                    break;
                }
                await emit(new StepStarted(time.GetUtcNow(), host.Host, i, step.Id, step.Description));
                var error = step.Id == FailAtStep ? "RTNETLINK answers: Operation not permitted" : RunOn(host.Host, step.Do, await EnvironmentAsync(step.Secret));
                if (error is not null)
                {
                    failure = new ApplyFailure(host.Host, step.Id, $"host {host.Host}: step {step.Id} failed: {error}", error);
                    var result = new StepResult(host.Host, i, step.Id, step.Description, StepOutcome.Failed, null, null, failure);
                    steps[host.Host].Add(result);
                    await emit(new StepFailed(time.GetUtcNow(), result));
                    break;
                }
                var ok = new StepResult(host.Host, i, step.Id, step.Description, StepOutcome.Succeeded, null, null);
                steps[host.Host].Add(ok);
                completed.Add((host.Host, step));
                changed++;
                await emit(new StepSucceeded(time.GetUtcNow(), ok));
            }
            await emit(new HostFinished(time.GetUtcNow(), host.Host, failure is null, changed, 0));
            if (failure is not null) break;
        }

        var undoFailed = false;
        if (failure is not null)
        {
            await emit(new RollbackStarted(time.GetUtcNow(), failure));
            for (var i = completed.Count - 1; i >= 0; i--)
            {
                var (host, step) = completed[i];
                if (step.Undo is null)
                {
                    undone[host].Add(new UndoResult(host, step.Id, step.Description, UndoOutcome.NothingToUndo, null));
                    continue;
                }
                var error = UndoFails ? "undo refused by the fake" : RunOn(host, step.Undo, await EnvironmentAsync(step.UndoSecret));
                if (error is not null)
                {
                    undoFailed = true;
                    var bad = new UndoResult(host, step.Id, step.Description, UndoOutcome.Failed, null, new ApplyFailure(host, step.Id, error, error));
                    undone[host].Add(bad);
                    await emit(new UndoFailed(time.GetUtcNow(), bad));
                    continue;
                }
                var good = new UndoResult(host, step.Id, step.Description, UndoOutcome.Succeeded, null);
                undone[host].Add(good);
                await emit(new UndoSucceeded(time.GetUtcNow(), good));
            }
        }

        var status = failure is null ? ApplyStatus.Succeeded : undoFailed ? ApplyStatus.Failed : ApplyStatus.RolledBack;
        return new PlanExecution(status, [.. plan.Hosts.Select(h => new HostApplyResult(h.Host, [.. steps[h.Host]], [.. undone[h.Host]]))], failure);
    }

    /// <summary>The key a command reads, in its variable, as the SSH executor resolves it when it sends the program.</summary>
    private async Task<IReadOnlyDictionary<string, string>?> EnvironmentAsync(string? secret)
    {
        if (secret is null || keys is null) return null;
        var values = await keys.GetOrCreateAsync([secret], CancellationToken.None);
        return new Dictionary<string, string> { [Superbridge.Core.Commands.SecretPlaceholders.Variable(secret)] = values[secret] };
    }

    /// <summary>Runs one command on the fake host; the error text when the fake refuses it.</summary>
    private string? RunOn(HostId host, Superbridge.Core.Commands.Command command, IReadOnlyDictionary<string, string>? environment)
    {
        var fake = hosts[host];
        try
        {
            lock (fake) fake.Run(command, environment);
            return null;
        }
        catch (Exception e) when (e is InvalidOperationException or KeyNotFoundException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return $"fake host refused `{command}`: {e.Message}";
        }
    }

    private void Enter(ImmutableArray<HostId> leased)
    {
        lock (_gate)
        {
            foreach (var host in leased)
            {
                var count = _active.GetValueOrDefault(host);
                if (count > 0) Overlaps++;
                _active[host] = count + 1;
            }
            _running++;
            MaxConcurrent = Math.Max(MaxConcurrent, _running);
        }
    }

    private void Exit(ImmutableArray<HostId> leased)
    {
        lock (_gate)
        {
            foreach (var host in leased) _active[host]--;
            _running--;
        }
    }
}
