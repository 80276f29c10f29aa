using Superbridge.Operations;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Superbridge.Core.Model;
using Superbridge.Core.Observed;
using Superbridge.Core.Planning;
using Superbridge.Ssh.Connections;

namespace Superbridge.Ssh.Apply;

/// <summary>
/// Runs one operation on a segment, end to end:
/// <list type="number">
/// <item>takes the lock of every host involved (<see cref="HostLocks"/>), held to the end;</item>
/// <item>preflight: every host reachable, a fresh inventory of each, kernel features present, the plan valid, the
/// names and ids it creates free; any problem refuses the operation before the first command that changes anything;</item>
/// <item>runs the plan with <see cref="PlanExecutor"/> (rollback on any failure);</item>
/// <item>after success, takes a fresh inventory and re-plans: a non-empty plan is reported as drift.</item>
/// </list>
/// Every command runs through the pool's sessions, so through its audit sink.
/// </summary>
public sealed class SegmentApplier
{
    private readonly SshConnectionPool _pool;
    private readonly IHostObserver _observer;
    private readonly HostLocks _locks;
    private readonly TimeProvider _time;
    private readonly PlanExecutor _executor;

    public SegmentApplier(SshConnectionPool pool, IHostObserver observer, HostLocks locks, TimeProvider timeProvider)
    {
        _pool = pool ?? throw new ArgumentNullException(nameof(pool));
        _observer = observer ?? throw new ArgumentNullException(nameof(observer));
        _locks = locks ?? throw new ArgumentNullException(nameof(locks));
        _time = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _executor = new PlanExecutor(timeProvider);
    }

    /// <summary>The events of one operation as a stream (for a live log); the last one is <see cref="OperationCompleted"/>.</summary>
    public async IAsyncEnumerable<ApplyEvent> StreamAsync(
        SegmentOperation operation,
        IReadOnlyCollection<ApplyHost> hosts,
        ApplyOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var channel = Channel.CreateUnbounded<ApplyEvent>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var running = Task.Run(async () =>
        {
            try
            {
                await RunAsync(operation, hosts, options, (e, _) => channel.Writer.WriteAsync(e, CancellationToken.None), cancellationToken);
                channel.Writer.Complete();
            }
            catch (Exception e)
            {
                channel.Writer.Complete(e);
            }
        }, CancellationToken.None);
        await foreach (var e in channel.Reader.ReadAllAsync(CancellationToken.None))
            yield return e;
        await running;
    }

    /// <param name="hosts">At least every host of the operation (<see cref="SegmentOperation.Hosts"/>); others are ignored.</param>
    /// <param name="onEvent">Receives every event in order, never concurrently.</param>
    /// <param name="cancellationToken">Before the plan runs: gives up (nothing changed). While it runs: stops and rolls back.</param>
    public async Task<ApplyResult> RunAsync(
        SegmentOperation operation,
        IReadOnlyCollection<ApplyHost> hosts,
        ApplyOptions? options = null,
        Func<ApplyEvent, CancellationToken, ValueTask>? onEvent = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(hosts);
        var startedAt = _time.GetUtcNow();
        var emit = onEvent is null ? (Func<ApplyEvent, ValueTask>)(_ => ValueTask.CompletedTask) : e => onEvent(e, CancellationToken.None);

        async Task<ApplyResult> Finish(ApplyResult result)
        {
            await emit(new OperationCompleted(result.FinishedAt, result));
            return result;
        }

        async Task<ApplyResult> Refuse(IEnumerable<PreflightProblem> problems, SegmentPlan? plan = null)
        {
            var list = problems.ToImmutableArray();
            await emit(new PreflightFailed(_time.GetUtcNow(), list));
            return await Finish(new ApplyResult
            {
                Segment = operation.Segment.Spec.Name, Operation = operation.Kind, Status = ApplyStatus.Refused,
                StartedAt = startedAt, FinishedAt = _time.GetUtcNow(), Problems = list, Plan = plan,
            });
        }

        var byId = new Dictionary<HostId, ApplyHost>();
        foreach (var host in hosts) byId[host.Id] = host;
        var missing = operation.Hosts.Where(h => !byId.ContainsKey(h)).ToList();
        if (missing.Count > 0)
            return await Refuse(missing.Select(h => new PreflightProblem(h, $"host {h} is not known (no address or credentials)")));
        var involved = operation.Hosts.Select(h => byId[h]).ToImmutableArray();
        var infos = involved.ToDictionary(h => h.Id, h => h.Info);

        using var lease = await _locks.AcquireAsync(involved.Select(h => h.Id), cancellationToken);

        // Preflight: reach every host, then read each one's state.
        var connected = await Task.WhenAll(involved.Select(h => ConnectAsync(h, cancellationToken)));
        var unreachable = connected.Where(c => c.Problem is not null).Select(c => c.Problem!).ToList();
        if (unreachable.Count > 0) return await Refuse(unreachable);
        var sessions = connected.ToDictionary(c => c.Host, c => c.Session!);

        var (observed, observeProblems) = await ObserveAllAsync(involved, cancellationToken);
        if (observeProblems.Count > 0) return await Refuse(observeProblems);

        if (operation.Creates)
        {
            var featureProblems = ApplyPreflight.CheckFeatures(operation.Segment, infos, observed);
            if (!featureProblems.IsEmpty) return await Refuse(featureProblems);
        }
        var planned = operation.Plan(infos, observed);
        if (!planned.IsOk)
            return await Refuse(planned.Errors.Select(e => new PreflightProblem(null, $"the segment cannot be planned: {e}")));
        var plan = planned.Value;
        if (operation.Creates)
        {
            var conflicts = ApplyPreflight.CheckNamesAndIds(operation.Segment, observed);
            if (!conflicts.IsEmpty) return await Refuse(conflicts, plan);
        }
        cancellationToken.ThrowIfCancellationRequested();

        await emit(new PlanReady(_time.GetUtcNow(), plan));
        var execution = await _executor.ExecuteAsync(plan, sessions, lease, emit, options, cancellationToken);
        if (execution.Status != ApplyStatus.Succeeded)
        {
            return await Finish(new ApplyResult
            {
                Segment = operation.Segment.Spec.Name, Operation = operation.Kind, Status = execution.Status,
                StartedAt = startedAt, FinishedAt = _time.GetUtcNow(), Hosts = execution.Hosts, Error = execution.Error, Plan = plan,
            });
        }

        var drift = await VerifyAsync(operation, involved, infos);
        await emit(new Verified(_time.GetUtcNow(), drift));
        return await Finish(new ApplyResult
        {
            Segment = operation.Segment.Spec.Name, Operation = operation.Kind, Status = ApplyStatus.Succeeded,
            StartedAt = startedAt, FinishedAt = _time.GetUtcNow(), Hosts = execution.Hosts, Plan = plan, Drift = drift,
        });
    }

    /// <summary>Re-inventories the hosts and re-plans: every step still planned (and every mismatch) is drift.</summary>
    private async Task<ImmutableArray<string>> VerifyAsync(
        SegmentOperation operation, ImmutableArray<ApplyHost> involved, Dictionary<HostId, HostInfo> infos)
    {
        var (fresh, problems) = await ObserveAllAsync(involved, CancellationToken.None);
        if (problems.Count > 0) return [.. problems.Select(p => $"could not verify: {p}")];
        var replanned = operation.PlanVerification(infos, fresh);
        if (!replanned.IsOk) return [.. replanned.Errors.Select(e => $"could not verify: {e}")];
        var drift = ImmutableArray.CreateBuilder<string>();
        foreach (var host in replanned.Value.Hosts)
            foreach (var step in host.Steps)
                drift.Add($"{host.Host}: still to do: {step.Description}");
        if (operation.Kind != SegmentOperationKind.Teardown)
        {
            var detected = SegmentPlanner.DetectDrift(operation.Segment, infos, fresh);
            if (detected.IsOk)
                foreach (var d in detected.Value.Where(d => d.Kind == DriftKind.Mismatch))
                    drift.Add(d.ToString());
        }
        return drift.ToImmutable();
    }

    private async Task<(HostId Host, IHostSession? Session, PreflightProblem? Problem)> ConnectAsync(ApplyHost host, CancellationToken cancellationToken)
    {
        try
        {
            return (host.Id, await _pool.GetAsync(host.Target, cancellationToken), null);
        }
        catch (SshFailureException e)
        {
            return (host.Id, null, new PreflightProblem(host.Id, $"host {host.Id} is unreachable ({e.Reason}): {e.Message}"));
        }
    }

    private async Task<(Dictionary<HostId, ObservedHost> Observed, List<PreflightProblem> Problems)> ObserveAllAsync(
        ImmutableArray<ApplyHost> hosts, CancellationToken cancellationToken)
    {
        var results = await Task.WhenAll(hosts.Select(async h =>
        {
            try
            {
                return (h.Id, Observed: await _observer.ObserveAsync(h, cancellationToken), Problem: (PreflightProblem?)null);
            }
            catch (Exception e) when (e is HostObservationException or SshFailureException or ObservedParseException)
            {
                return (h.Id, Observed: (ObservedHost?)null, Problem: new PreflightProblem(h.Id, $"could not read the state of host {h.Id}: {e.Message}"));
            }
        }));
        return (results.Where(r => r.Observed is not null).ToDictionary(r => r.Id, r => r.Observed!),
            results.Where(r => r.Problem is not null).Select(r => r.Problem!).ToList());
    }
}
