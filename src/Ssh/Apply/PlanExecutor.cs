using System.Collections.Concurrent;
using System.Collections.Immutable;
using Superbridge.Core.Commands;
using Superbridge.Core.Model;
using Superbridge.Core.Planning;
using Superbridge.Core.Programs;
using Superbridge.Ssh.Audit;
using Superbridge.Ssh.Connections;
using Superbridge.Ssh.Execution;
using Superbridge.Operations;

namespace Superbridge.Ssh.Apply;

/// <summary>
/// Runs a <see cref="SegmentPlan"/> on its hosts, transactionally, as ONE remote program per host and phase
/// (<see cref="HostProgram"/>, sent on stdin to <c>sh -s</c>): each program prints a marker per step as it goes, read
/// line by line as it arrives, so the events are the same as if every check and command had been a command of its own.
/// <para>
/// Forward: the hosts' apply programs run in parallel, at most <see cref="ApplyOptions.MaxParallelHosts"/> at once
/// (1: one after another in plan order, so the events are fully deterministic). Per host the steps run in order; a
/// step whose check exits 0 is skipped (already done: not ours, so never undone); the first failing step ends its
/// host's program. A program cut off (connection lost, timed out, killed) or ending without its <c>SBEND</c> line
/// fails its host at the step in progress with that error; a program that cannot run at all (<c>SBEND 125</c>:
/// the host lacks <c>mktemp</c> or <c>base64</c>) fails its host at its first step, before any step ran.
/// </para>
/// <para>
/// The first failure anywhere, or a cancellation, stops hosts that have not started yet (waiting for a parallel
/// slot) from starting. A cancellation also asks each running apply program to stop before its next step (a stop
/// file in the directory it announced, <see cref="ProgramMarkers.StopFile"/>); a failure elsewhere lets running
/// programs run to their end (or their own failure). Whatever they completed is rolled back too.
/// </para>
/// <para>
/// Rollback: per host ONE undo program for its steps that succeeded (skipped steps are not ours), in reverse order;
/// before each undo the step's check tells whether it is already undone; an undo that fails is reported and the
/// program goes on. Hosts are rolled back in parallel, at most <see cref="ApplyOptions.MaxParallelHosts"/> at once,
/// started in reverse plan order (with 1: one after another in reverse plan order). With a reconnector, a host whose
/// connection dropped is reconnected (see <see cref="RollbackSession"/>) before its undo program, and an undo program
/// cut off by a connection error is run again on the new session for the steps it did not report (once per step
/// in progress; their checks skip what the cut-off program did get to undo). When the host does not come back, its
/// remaining undos fail without running, naming why.
/// </para>
/// Events are delivered in order, never concurrently. Every program goes through the sessions, so through their
/// audit sink: one audit entry per host program, holding the script.
/// </summary>
public sealed class PlanExecutor
{
    /// <summary>A host program's timeout when <see cref="ApplyOptions.CommandTimeout"/> is not set, before the per-step allowance.</summary>
    internal static readonly TimeSpan BaseProgramTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Added to a host program's timeout per step it runs.</summary>
    internal static readonly TimeSpan PerStepTimeout = TimeSpan.FromSeconds(2);

    private readonly TimeProvider _time;
    private readonly IKeyStore? _keys;

    /// <param name="keys">Where the keys of encrypted segments come from; null refuses programs that need one.</param>
    public PlanExecutor(TimeProvider timeProvider, IKeyStore? keys = null)
    {
        _time = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _keys = keys;
    }

    /// <param name="lease">Locks of every host of the plan, held by the caller for the whole run.</param>
    /// <param name="onEvent">Receives the events in order (never concurrently).</param>
    /// <param name="cancellationToken">Stops starting hosts' programs, asks running ones to stop after their step in progress, and rolls back.</param>
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
        using var forwardCancel = cancellationToken.Register(() =>
        {
            run.Fail(new ApplyFailure(null, null, "The operation was cancelled."), stop);
            run.AskRunningProgramsToStop();
        });

        await ForEachHostAsync(plan.Hosts, options.MaxParallelHosts, host => run.ForwardAsync(host, stop));
        await run.StopRequestsSentAsync();

        if (run.FirstFailure is not { } failure)
            return new PlanExecution(ApplyStatus.Succeeded, run.Results(), null);

        await run.EmitAsync(new RollbackStarted(_time.GetUtcNow(), failure));
        var clean = true;
        await ForEachHostAsync([.. plan.Hosts.Reverse()], options.MaxParallelHosts, async host =>
        {
            if (!await run.RollbackAsync(host)) Volatile.Write(ref clean, false);
        });
        return new PlanExecution(clean ? ApplyStatus.RolledBack : ApplyStatus.Failed, run.Results(), failure);
    }

    /// <summary>Runs <paramref name="work"/> for each host, at most <paramref name="parallel"/> at once, started in the order given.</summary>
    private static async Task ForEachHostAsync(IReadOnlyList<HostPlan> hosts, int parallel, Func<HostPlan, Task> work)
    {
        using var slots = new SemaphoreSlim(parallel);
        var tasks = new List<Task>(hosts.Count);
        foreach (var host in hosts)
        {
            // Taken here, in order: with one slot the hosts run strictly one after another in the order given.
            await slots.WaitAsync(CancellationToken.None);
            tasks.Add(Task.Run(async () =>
            {
                try
                {
                    await work(host);
                }
                finally
                {
                    slots.Release();
                }
            }));
        }
        await Task.WhenAll(tasks);
    }

    /// <summary>State of one execution.</summary>
    private sealed class Run(PlanExecutor owner, SegmentPlan plan, IReadOnlyDictionary<HostId, IHostSession> sessions,
        IHostReconnector? reconnector, Func<ApplyEvent, ValueTask>? onEvent, ApplyOptions options, AuditTag? audit)
    {
        private readonly SemaphoreSlim _emitGate = new(1, 1);
        private readonly ConcurrentDictionary<HostId, List<StepResult>> _steps = new();
        private readonly ConcurrentDictionary<HostId, List<UndoResult>> _undos = new();
        private readonly ConcurrentDictionary<HostId, string> _runningPrograms = new();
        private readonly ConcurrentBag<Task> _stopRequests = [];
        private volatile bool _stopAsked;
        private ApplyFailure? _failure;

        public ApplyFailure? FirstFailure => Volatile.Read(ref _failure);

        private TimeProvider Time => owner._time;

        public void Fail(ApplyFailure failure, CancellationTokenSource stop)
        {
            Interlocked.CompareExchange(ref _failure, failure, null);
            try { stop.Cancel(); } catch (ObjectDisposedException) { }
        }

        /// <summary>
        /// Cancelled: each apply program still running is asked to stop before its next step (a file in its private
        /// directory, one more round trip), so the rollback undoes what it did up to there instead of waiting for the
        /// rest to run. The step in progress finishes. A program that ended meanwhile has no directory left: nothing happens.
        /// </summary>
        public void AskRunningProgramsToStop()
        {
            _stopAsked = true;
            foreach (var (host, directory) in _runningPrograms) AskToStop(host, directory);
        }

        private void AskToStop(HostId host, string directory) => _stopRequests.Add(Task.Run(async () =>
        {
            try
            {
                await sessions[host].RunAsync(Command.Of("touch", ProgramMarkers.StopFile(directory)),
                    new RunOptions { AllowNonZeroExit = true, Audit = audit }, CancellationToken.None);
            }
            catch (Exception e) when (e is SshFailureException or ObjectDisposedException or InvalidOperationException)
            {
                // The program then runs to its end, as it would without the request.
            }
        }));

        public Task StopRequestsSentAsync() => Task.WhenAll(_stopRequests);

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

        private RunOptions ProgramOptions(int steps, Func<string, ValueTask> onLine) => new()
        {
            AllowNonZeroExit = true,
            Timeout = (options.CommandTimeout ?? BaseProgramTimeout) + PerStepTimeout * steps,
            Audit = audit,
            OnOutputLine = onLine,
            // The operation goes into the header of the boot files a program writes (BootCommands).
            Environment = audit?.OperationId is { } operation
                ? new Dictionary<string, string> { [BootCommands.OperationVariable] = operation.ToString(System.Globalization.CultureInfo.InvariantCulture) }
                : null,
        };

        /// <summary>How a host program ended: its result, or the connection error that cut it off.</summary>
        private readonly record struct ProgramEnd(CommandResult? Result, string? Error, int? Status, DateTimeOffset StartedAt, TimeSpan Elapsed)
        {
            /// <summary>Why the program did not report everything it was asked for.</summary>
            public string Why(string what)
            {
                if (Error is not null) return Error;
                if (Result is not { } r) return $"{what} did not run";
                var how = r.ExitSignal is not null ? $"killed by signal {r.ExitSignal}" : $"exit code {r.ExitCode}";
                var stderr = r.StandardError.Trim();
                return Status is { } status
                    ? $"{what} ended (status {status}) without reporting it" + (stderr.Length > 0 ? $": {stderr}" : "")
                    : $"{what} stopped before its end ({how})" + (stderr.Length > 0 ? $": {stderr}" : "");
            }
        }

        /// <param name="stoppable">The host whose apply program this is: while it runs, a cancellation may ask it to stop.</param>
        private async Task<ProgramEnd> RunProgramAsync(IHostSession session, string script, int steps, Func<string, ValueTask> onMarker, HostId? stoppable = null)
        {
            int? status = null;
            var startedAt = Time.GetUtcNow();
            var started = Time.GetTimestamp();
            async ValueTask OnLine(string line)
            {
                if (ProgramMarkers.TryParseEnd(line, out var end)) status = end;
                else if (ProgramMarkers.TryParseDirectory(line, out var directory))
                {
                    if (stoppable is { } host)
                    {
                        _runningPrograms[host] = directory;
                        // Cancelled before the program said where it runs: ask now.
                        if (_stopAsked) AskToStop(host, directory);
                    }
                }
                else await onMarker(line);
            }
            IReadOnlyDictionary<string, string>? keys = null;
            var needed = SecretPlaceholders.Names(script);
            if (needed.Count > 0)
            {
                if (owner._keys is null)
                    return new ProgramEnd(null, "the program needs IPsec keys and no key store is configured", null, startedAt, Time.GetElapsedTime(started));
                keys = await owner._keys.GetOrCreateAsync(needed, CancellationToken.None);
            }
            try
            {
                // Never cancelled midway: an abandoned program keeps running on the host, and the rollback must know
                // what state it left. The program's timeout bounds it.
                var result = await session.RunScriptAsync(script, ScriptDelivery.StandardInput,
                    ProgramOptions(steps, OnLine) with { SecretValues = keys }, CancellationToken.None);
                return new ProgramEnd(result, null, status, startedAt, Time.GetElapsedTime(started));
            }
            catch (SshFailureException e)
            {
                return new ProgramEnd(null, e.Message, status, startedAt, Time.GetElapsedTime(started));
            }
            finally
            {
                if (stoppable is { } host) _runningPrograms.TryRemove(host, out _);
            }
        }

        private (DateTimeOffset StartedAt, TimeSpan Duration) Timing(ProgramMarker marker)
        {
            var duration = TimeSpan.FromMilliseconds(marker.DurationMs);
            return (Time.GetUtcNow() - duration, duration);
        }

        public async Task ForwardAsync(HostPlan host, CancellationTokenSource stop)
        {
            var results = _steps.GetOrAdd(host.Host, _ => []);
            var completed = true;
            if (stop.IsCancellationRequested) completed = false;
            else if (host.Steps.Length > 0) completed = await ApplyProgramAsync(host, results, stop);
            await EmitAsync(new HostFinished(Time.GetUtcNow(), host.Host, completed,
                results.Count(r => r.Outcome == StepOutcome.Succeeded), results.Count(r => r.Outcome == StepOutcome.Skipped)));
        }

        /// <returns>True when every step of the host was done or skipped.</returns>
        private async Task<bool> ApplyProgramAsync(HostPlan host, List<StepResult> results, CancellationTokenSource stop)
        {
            var current = 0; // the step in progress
            var announced = -1; // the last step a StepStarted was emitted for
            var failed = false;
            async ValueTask Announce(int index)
            {
                if (announced >= index) return;
                announced = index;
                await EmitAsync(Started(host, index));
            }
            await Announce(0);

            async ValueTask OnMarker(string line)
            {
                if (failed || current >= host.Steps.Length) return;
                if (!ProgramMarkers.TryParse(line, out var marker) || marker is null || marker.Index != current) return;
                var step = host.Steps[current];
                await Announce(current); // a step that began as the stop was asked: announced late, not never
                var (startedAt, duration) = Timing(marker);
                CommandRun RunOf(Command command) =>
                    new(command, marker.ExitCode, marker.StandardOutput, marker.StandardError, startedAt, duration);
                switch (marker.Outcome)
                {
                    case MarkerOutcome.Skipped when step.Check is { } check:
                        var skipped = new StepResult(host.Host, current, step.Id, step.Description, StepOutcome.Skipped, RunOf(check), null);
                        results.Add(skipped);
                        await EmitAsync(new StepSkipped(Time.GetUtcNow(), skipped));
                        break;
                    case MarkerOutcome.Succeeded:
                        var done = new StepResult(host.Host, current, step.Id, step.Description, StepOutcome.Succeeded, null, RunOf(step.Do));
                        results.Add(done);
                        await EmitAsync(new StepSucceeded(Time.GetUtcNow(), done));
                        break;
                    case MarkerOutcome.Failed:
                        failed = true;
                        var ran = RunOf(step.Do);
                        await FailStepAsync(host.Host, current, step, ran, Describe(host.Host, step.Id, $"\"{step.Description}\" failed on {host.Host}", ran), results, stop);
                        return;
                    default:
                        return; // not an apply marker: the step stays in progress
                }
                current++;
                // Once a stop is asked the program stops before its next step (it checks the stop file first): that step is
                // not announced unless its marker arrives after all (the program had passed its check before the stop file).
                if (current < host.Steps.Length && !_stopAsked) await Announce(current);
            }

            var end = await RunProgramAsync(sessions[host.Host], HostProgram.Apply(host), host.Steps.Length, OnMarker, host.Host);
            if (failed) return false;
            if (current >= host.Steps.Length) return true; // every step reported: whatever came after, the host is done
            if (end.Status == ProgramMarkers.StatusStopped) return false; // asked to (cancelled): no step failed

            var step = host.Steps[current];
            if (current == 0 && end.Status == ProgramMarkers.StatusCannotRun && end.Result is { } cannot)
            {
                var stderr = cannot.StandardError.Trim();
                var run = new CommandRun(RemoteCommandLine.ForScript("", ScriptDelivery.StandardInput), cannot.ExitCode, cannot.StandardOutput, cannot.StandardError,
                    end.StartedAt, end.Elapsed);
                var failure = new ApplyFailure(host.Host, null,
                    $"The apply program could not run on {host.Host}: {(stderr.Length > 0 ? stderr : "status 125")}", stderr);
                await FailStepAsync(host.Host, 0, step, run, failure, results, stop);
                return false;
            }
            var error = end.Why($"The apply program on {host.Host}");
            var cut = new CommandRun(step.Do, null, "", end.Result?.StandardError ?? "", end.StartedAt, end.Elapsed, error);
            await FailStepAsync(host.Host, current, step, cut, Describe(host.Host, step.Id, $"\"{step.Description}\" failed on {host.Host}", cut), results, stop);
            return false;
        }

        private StepStarted Started(HostPlan host, int index) =>
            new(Time.GetUtcNow(), host.Host, index, host.Steps[index].Id, host.Steps[index].Description);

        private async Task FailStepAsync(HostId host, int index, PlanStep step, CommandRun ran, ApplyFailure failure,
            List<StepResult> results, CancellationTokenSource stop)
        {
            var failed = new StepResult(host, index, step.Id, step.Description, StepOutcome.Failed, null, ran, failure);
            results.Add(failed);
            Fail(failure, stop);
            await EmitAsync(new StepFailed(Time.GetUtcNow(), failed));
        }

        /// <returns>True when every completed step of the host was undone.</returns>
        public async Task<bool> RollbackAsync(HostPlan host)
        {
            var undos = _undos.GetOrAdd(host.Host, _ => []);
            if (!_steps.TryGetValue(host.Host, out var results)) return true;
            var pending = results.Where(r => r.Outcome == StepOutcome.Succeeded).Select(r => r.Index).Reverse().ToList();
            if (pending.Count == 0) return true;
            var session = new RollbackSession(host.Host, sessions[host.Host], reconnector, options.ReconnectAttempts, options.ReconnectBackoff, Time);
            var clean = true;
            int? retried = null; // the step in progress when a program was cut off and run again

            async Task Record(int index, UndoResult undo)
            {
                clean &= undo.Outcome != UndoOutcome.Failed;
                undos.Add(undo);
                pending.Remove(index);
                await EmitAsync(undo.Outcome == UndoOutcome.Failed ? new UndoFailed(Time.GetUtcNow(), undo) : new UndoSucceeded(Time.GetUtcNow(), undo));
            }

            async Task GiveUpRemaining(string why)
            {
                foreach (var index in pending.ToList())
                {
                    var step = host.Steps[index];
                    await Record(index, GivenUp(host.Host, step, $"Undoing \"{step.Description}\" on {host.Host} did not run: {why}", run: null, why));
                }
            }

            while (pending.Count > 0)
            {
                if (!await session.EnsureConnectedAsync())
                {
                    await GiveUpRemaining(session.Unreachable!);
                    break;
                }

                var asked = pending.ToList();
                var next = 0; // index into asked of the undo in progress
                async ValueTask OnMarker(string line)
                {
                    if (next >= asked.Count) return;
                    if (!ProgramMarkers.TryParse(line, out var marker) || marker is null || marker.Index != asked[next]) return;
                    var step = host.Steps[marker.Index];
                    var (startedAt, duration) = Timing(marker);
                    CommandRun RunOf(Command command, int? exit) =>
                        new(command, exit, marker.StandardOutput, marker.StandardError, startedAt, duration);
                    UndoResult? undo = marker.Outcome switch
                    {
                        MarkerOutcome.Undone when step.Undo is { } u =>
                            new UndoResult(host.Host, step.Id, step.Description, UndoOutcome.Succeeded, RunOf(u, marker.ExitCode)),
                        MarkerOutcome.AlreadyUndone when step.Check is { } c =>
                            new UndoResult(host.Host, step.Id, step.Description, UndoOutcome.Succeeded, RunOf(Command.Not(c), 0)),
                        MarkerOutcome.NothingToUndo =>
                            new UndoResult(host.Host, step.Id, step.Description, UndoOutcome.NothingToUndo, null),
                        MarkerOutcome.UndoFailed when step.Undo is { } u => Failed(RunOf(u, marker.ExitCode)),
                        _ => null,
                    };
                    if (undo is null) return;
                    next++;
                    await Record(marker.Index, undo);

                    UndoResult Failed(CommandRun ran) => new(host.Host, step.Id, step.Description, UndoOutcome.Failed, ran,
                        Describe(host.Host, step.Id, $"Undoing \"{step.Description}\" failed on {host.Host}", ran));
                }

                var end = await RunProgramAsync(session.Current, HostProgram.Undo(host, asked), asked.Count, OnMarker);
                if (pending.Count == 0) break;

                var inProgressIndex = pending[0];
                var inProgress = host.Steps[inProgressIndex];
                var error = end.Why($"The undo program on {host.Host}");
                var cut = new CommandRun(inProgress.Undo ?? inProgress.Do, null, "", end.Result?.StandardError ?? "", end.StartedAt, end.Elapsed, error);
                if (end.Error is { } cutOff && session.CanReconnect && retried != pending[0])
                {
                    retried = pending[0];
                    if (!await session.ReconnectAsync())
                    {
                        await Record(inProgressIndex, GivenUp(host.Host, inProgress,
                            $"Undoing \"{inProgress.Description}\" on {host.Host} was cut off ({cutOff}) and not retried: {session.Unreachable}", cut, session.Unreachable!));
                        await GiveUpRemaining(session.Unreachable!);
                        break;
                    }
                    // The program again for what it did not report: its checks tell what the cut-off program got done after all.
                    continue;
                }
                await Record(inProgressIndex, new UndoResult(host.Host, inProgress.Id, inProgress.Description, UndoOutcome.Failed, cut,
                    Describe(host.Host, inProgress.Id, $"Undoing \"{inProgress.Description}\" failed on {host.Host}", cut)));
                await GiveUpRemaining($"the undo program on {host.Host} stopped before it: {error}");
            }
            return clean;
        }

        private static UndoResult GivenUp(HostId host, PlanStep step, string message, CommandRun? run, string why) =>
            new(host, step.Id, step.Description, UndoOutcome.Failed, run, new ApplyFailure(host, step.Id, message, why));

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
