using System.Collections.Concurrent;
using System.Collections.Immutable;
using Superbridge.Core.Commands;
using Superbridge.Core.Model;
using Superbridge.Core.Planning;
using Superbridge.Ssh.Audit;
using Superbridge.Ssh.Connections;
using Superbridge.Ssh.Execution;
using Superbridge.Operations;

namespace Superbridge.Ssh.Apply;

/// <summary>
/// Runs a <see cref="SegmentPlan"/> on its hosts, transactionally. Per host the steps run in order; a step whose
/// check exits 0 is skipped (already done: not ours, so never undone). The first failure anywhere stops every host
/// at its next step boundary and starts the rollback: hosts one after another in reverse plan order, each host's
/// completed steps undone in reverse order (before each undo, the negated check skips what is already undone); an
/// undo that fails is reported and the rollback goes on. A cancelled operation is rolled back the same way.
/// With a reconnector, a host whose connection dropped is reconnected (see <see cref="RollbackSession"/>) before its
/// undos, and an undo cut off by a connection error is retried once on the new session; when the host does not come
/// back, its remaining undos fail without running, naming why. Every command goes through the sessions, so through
/// their audit sink.
/// </summary>
public sealed class PlanExecutor
{
    private readonly TimeProvider _time;

    public PlanExecutor(TimeProvider timeProvider) => _time = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));

    /// <param name="lease">Locks of every host of the plan, held by the caller for the whole run.</param>
    /// <param name="onEvent">Receives the events in order (never concurrently).</param>
    /// <param name="cancellationToken">Stops starting new steps and rolls back; a command already running is allowed to finish.</param>
    /// <param name="reconnector">Fresh sessions for the rollback when a host's connection dropped; null keeps the given sessions throughout.</param>
    public async Task<PlanExecution> ExecuteAsync(
        SegmentPlan plan,
        IReadOnlyDictionary<HostId, IHostSession> sessions,
        HostLease lease,
        Func<ApplyEvent, ValueTask>? onEvent = null,
        ApplyOptions? options = null,
        CancellationToken cancellationToken = default,
        OperationContext? context = null,
        IHostReconnector? reconnector = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(sessions);
        ArgumentNullException.ThrowIfNull(lease);
        options ??= ApplyOptions.Default;
        if (options.MaxParallelHosts < 1) throw new ArgumentOutOfRangeException(nameof(options), options.MaxParallelHosts, "At least one host must run.");
        if (options.ReconnectAttempts < 0) throw new ArgumentOutOfRangeException(nameof(options), options.ReconnectAttempts, "Reconnect attempts cannot be negative.");
        foreach (var host in plan.Hosts)
        {
            if (!lease.Covers(host.Host)) throw new InvalidOperationException($"The lease does not hold the lock of {host.Host}.");
            if (!sessions.ContainsKey(host.Host)) throw new ArgumentException($"No session for {host.Host}.", nameof(sessions));
        }

        var audit = context is null ? null : new AuditTag(context.OperationId, context.User);
        var run = new Run(this, plan, sessions, reconnector, onEvent, options, audit);
        using var stop = new CancellationTokenSource();
        using var forwardCancel = cancellationToken.Register(() => run.Fail(new ApplyFailure(null, null, "The operation was cancelled."), stop));

        using (var slots = new SemaphoreSlim(options.MaxParallelHosts))
        {
            var tasks = plan.Hosts.Select(async host =>
            {
                await slots.WaitAsync(CancellationToken.None);
                try
                {
                    await run.ForwardAsync(host, stop);
                }
                finally
                {
                    slots.Release();
                }
            }).ToArray();
            await Task.WhenAll(tasks);
        }

        if (run.FirstFailure is not { } failure)
            return new PlanExecution(ApplyStatus.Succeeded, run.Results(), null);

        await run.EmitAsync(new RollbackStarted(_time.GetUtcNow(), failure));
        var clean = true;
        foreach (var host in plan.Hosts.Reverse())
            clean &= await run.RollbackAsync(host);
        return new PlanExecution(clean ? ApplyStatus.RolledBack : ApplyStatus.Failed, run.Results(), failure);
    }

    /// <summary>State of one execution.</summary>
    private sealed class Run(PlanExecutor owner, SegmentPlan plan, IReadOnlyDictionary<HostId, IHostSession> sessions,
        IHostReconnector? reconnector, Func<ApplyEvent, ValueTask>? onEvent, ApplyOptions options, AuditTag? audit)
    {
        private readonly SemaphoreSlim _emitGate = new(1, 1);
        private readonly ConcurrentDictionary<HostId, List<StepResult>> _steps = new();
        private readonly ConcurrentDictionary<HostId, List<UndoResult>> _undos = new();
        private ApplyFailure? _failure;

        public ApplyFailure? FirstFailure => Volatile.Read(ref _failure);

        private TimeProvider Time => owner._time;

        private RunOptions CheckOptions => new() { AllowNonZeroExit = true, Timeout = options.CommandTimeout, Audit = audit };

        public void Fail(ApplyFailure failure, CancellationTokenSource stop)
        {
            Interlocked.CompareExchange(ref _failure, failure, null);
            try { stop.Cancel(); } catch (ObjectDisposedException) { }
        }

        public async ValueTask EmitAsync(ApplyEvent e)
        {
            if (onEvent is null) return;
            await _emitGate.WaitAsync(CancellationToken.None);
            try
            {
                await onEvent(e);
            }
            finally
            {
                _emitGate.Release();
            }
        }

        public async Task ForwardAsync(HostPlan host, CancellationTokenSource stop)
        {
            var results = _steps.GetOrAdd(host.Host, _ => []);
            var session = sessions[host.Host];
            var completed = true;
            for (var i = 0; i < host.Steps.Length; i++)
            {
                if (stop.IsCancellationRequested) { completed = false; break; }
                var step = host.Steps[i];
                await EmitAsync(new StepStarted(Time.GetUtcNow(), host.Host, i, step.Id, step.Description));

                CommandRun? check = null;
                if (step.Check is { } checkCommand)
                {
                    check = await RunAsync(session, checkCommand);
                    if (check.Error is null && check.ExitCode == 0)
                    {
                        var skipped = new StepResult(host.Host, i, step.Id, step.Description, StepOutcome.Skipped, check, null);
                        results.Add(skipped);
                        await EmitAsync(new StepSkipped(Time.GetUtcNow(), skipped));
                        continue;
                    }
                    if (check.Error is not null)
                    {
                        await FailStepAsync(host.Host, i, step, check, null, check, results, stop);
                        completed = false;
                        break;
                    }
                }

                var ran = await RunAsync(session, step.Do);
                if (!ran.Succeeded)
                {
                    await FailStepAsync(host.Host, i, step, check, ran, ran, results, stop);
                    completed = false;
                    break;
                }
                var done = new StepResult(host.Host, i, step.Id, step.Description, StepOutcome.Succeeded, check, ran);
                results.Add(done);
                await EmitAsync(new StepSucceeded(Time.GetUtcNow(), done));
            }
            await EmitAsync(new HostFinished(Time.GetUtcNow(), host.Host, completed,
                results.Count(r => r.Outcome == StepOutcome.Succeeded), results.Count(r => r.Outcome == StepOutcome.Skipped)));
        }

        private async Task FailStepAsync(HostId host, int index, PlanStep step, CommandRun? check, CommandRun? ran, CommandRun culprit,
            List<StepResult> results, CancellationTokenSource stop)
        {
            var failure = Describe(host, step.Id, $"\"{step.Description}\" failed on {host}", culprit);
            var failed = new StepResult(host, index, step.Id, step.Description, StepOutcome.Failed, check, ran, failure);
            results.Add(failed);
            Fail(failure, stop);
            await EmitAsync(new StepFailed(Time.GetUtcNow(), failed));
        }

        /// <returns>True when every completed step of the host was undone.</returns>
        public async Task<bool> RollbackAsync(HostPlan host)
        {
            var undos = _undos.GetOrAdd(host.Host, _ => []);
            if (!_steps.TryGetValue(host.Host, out var results)) return true;
            var session = new RollbackSession(host.Host, sessions[host.Host], reconnector, options.ReconnectAttempts, options.ReconnectBackoff, Time);
            var clean = true;
            foreach (var result in results.Where(r => r.Outcome == StepOutcome.Succeeded).Reverse().ToList())
            {
                var step = host.Steps[result.Index];
                var undo = step.Undo is { } undoCommand
                    ? await UndoOnHostAsync(host.Host, session, step, undoCommand)
                    : new UndoResult(host.Host, step.Id, step.Description, UndoOutcome.NothingToUndo, null);
                clean &= undo.Outcome != UndoOutcome.Failed;
                undos.Add(undo);
                await EmitAsync(undo.Outcome == UndoOutcome.Failed
                    ? new UndoFailed(Time.GetUtcNow(), undo)
                    : new UndoSucceeded(Time.GetUtcNow(), undo));
            }
            return clean;
        }

        /// <summary>
        /// One undo on the host's current session, reconnecting before it when the connection is known to be gone
        /// and once after it when a connection error cut it off.
        /// </summary>
        private async Task<UndoResult> UndoOnHostAsync(HostId host, RollbackSession session, PlanStep step, Command undoCommand)
        {
            if (!await session.EnsureConnectedAsync())
                return GivenUp(host, step, $"Undoing \"{step.Description}\" on {host} did not run: {session.Unreachable}", run: null, session.Unreachable!);

            var ran = await UndoAsync(session.Current, step, undoCommand);
            if (ran.Error is { } cutOff && session.CanReconnect)
            {
                if (!await session.ReconnectAsync())
                    return GivenUp(host, step, $"Undoing \"{step.Description}\" on {host} was cut off ({cutOff}) and not retried: {session.Unreachable}", ran, session.Unreachable!);
                // The whole undo again: its negated check tells whether the cut-off command got done after all.
                ran = await UndoAsync(session.Current, step, undoCommand);
            }
            return ran.Succeeded
                ? new UndoResult(host, step.Id, step.Description, UndoOutcome.Succeeded, ran)
                : new UndoResult(host, step.Id, step.Description, UndoOutcome.Failed, ran,
                    Describe(host, step.Id, $"Undoing \"{step.Description}\" failed on {host}", ran));
        }

        private static UndoResult GivenUp(HostId host, PlanStep step, string message, CommandRun? run, string why) =>
            new(host, step.Id, step.Description, UndoOutcome.Failed, run, new ApplyFailure(host, step.Id, message, why));

        /// <summary>The undo, unless the negated check says it is already undone (then that check's run is returned).</summary>
        private async Task<CommandRun> UndoAsync(IHostSession session, PlanStep step, Command undo)
        {
            if (step.Check is { } check)
            {
                var undone = await RunAsync(session, Command.Not(check));
                if (undone.Succeeded) return undone;
                if (undone.Error is not null) return undone;
            }
            return await RunAsync(session, undo);
        }

        private async Task<CommandRun> RunAsync(IHostSession session, Command command)
        {
            var startedAt = Time.GetUtcNow();
            var started = Time.GetTimestamp();
            try
            {
                // Never cancelled midway: an abandoned command keeps running on the host, and the rollback must know
                // what state it left. The command timeout bounds it.
                var result = await session.RunAsync(command, CheckOptions, CancellationToken.None);
                return new CommandRun(command, result.ExitCode, result.StandardOutput, result.StandardError, result.StartTime, result.RunTime,
                    result.ExitSignal is null ? null : $"killed by signal {result.ExitSignal}");
            }
            catch (SshFailureException e)
            {
                return new CommandRun(command, null, "", "", startedAt, Time.GetElapsedTime(started), e.Message);
            }
        }

        private static ApplyFailure Describe(HostId host, string stepId, string what, CommandRun run)
        {
            if (run.Error is { } error)
                return new ApplyFailure(host, stepId, $"{what}: {error}", error);
            var stderr = run.StandardError.Trim();
            var kernel = KernelErrorTranslator.Translate(host, run.Command, stderr, run.ExitCode ?? -1);
            var why = kernel?.ToString() ?? (stderr.Length > 0 ? stderr : $"`{run.Command.ToShellLine()}` exited with code {run.ExitCode}");
            return new ApplyFailure(host, stepId, $"{what}: {why}", stderr, kernel);
        }

        public ImmutableArray<HostApplyResult> Results() =>
        [
            .. plan.Hosts.Select(h => new HostApplyResult(h.Host,
                [.. _steps.GetValueOrDefault(h.Host) ?? []],
                [.. _undos.GetValueOrDefault(h.Host) ?? []])),
        ];
    }
}
