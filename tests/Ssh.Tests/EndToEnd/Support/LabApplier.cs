using System.Collections.Concurrent;
using Superbridge.Core.Model;
using Superbridge.Core.Planning;
using Superbridge.Operations;
using Superbridge.Operations.Support;
using Superbridge.Ssh.Apply;
using Superbridge.Ssh.Connections;
using Superbridge.Ssh.Inventory;
using Superbridge.Ssh.Paths;

namespace Superbridge.Ssh.Tests.EndToEnd;

/// <summary>
/// The product's own operation path on lab hosts: Operations' <see cref="SegmentService"/> with the SSH executor and
/// the inventory over the pool, stores in memory. A test hands it an operation and the hosts; the stored record is
/// seeded to match (apply: wanted; teardown and key rotation: applied; change: applied then wanted) and the operation runs to its end.
/// Underlay paths are measured over SSH by the product's prober and remembered across runs, as in the dashboard.
/// </summary>
public sealed class LabApplier
{
    private readonly SegmentLocks _segmentLocks = new();
    private readonly OperationHub _hub = new();
    private readonly ConcurrentDictionary<HostId, HostTarget> _targets = new();
    private readonly SshConnectionPool _pool;
    private readonly HostInventoryService _inventory;
    private readonly HostLocks _locks;
    private readonly TimeProvider _time;

    public LabApplier(SshConnectionPool pool, HostInventoryService inventory, HostLocks locks, TimeProvider time)
    {
        (_pool, _inventory, _locks, _time) = (pool, inventory, locks, time);
        Journal = new InMemoryOperationJournal(time);
        PathMtus = new PathMtuMeter(new SshPathProber(pool, new SeenTargets(_targets)), time);
    }

    public InMemorySegmentRepository Segments { get; } = new();
    public InMemoryOperationJournal Journal { get; }
    public PathMtuMeter PathMtus { get; }
    public InMemoryKeyStore Keys { get; } = new();

    /// <param name="onEvent">
    /// Every event of the operation in order, from its live stream; the executor waits for it on each of its events,
    /// so a test may act between steps.
    /// </param>
    public async Task<ApplyResult> RunAsync(
        SegmentOperation operation,
        IReadOnlyCollection<ApplyHost> hosts,
        ApplyOptions? options = null,
        Func<ApplyEvent, CancellationToken, ValueTask>? onEvent = null)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var delivered = new ConcurrentDictionary<ApplyEvent, TaskCompletionSource>(ReferenceEqualityComparer.Instance);
        TaskCompletionSource Delivered(ApplyEvent e) => delivered.GetOrAdd(e, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        var executor = new TappedExecutor(new SshPlanExecutor(_pool, new LabHostTargets(hosts), _time, Keys), e => new ValueTask(Delivered(e).Task));
        foreach (var host in hosts) _targets[host.Id] = host.Target;
        var service = new SegmentService(Segments, Journal, new LabHostObserver(_inventory, hosts), executor, _segmentLocks, _locks, _hub, _time, options, Keys, PathMtus);
        Segments.Put(operation.Kind switch
        {
            SegmentOperationKind.Apply => new SegmentRecord(operation.Segment, null),
            SegmentOperationKind.Teardown => new SegmentRecord(operation.Segment, operation.Segment, operation.From),
            SegmentOperationKind.RotateKey => new SegmentRecord(operation.Segment, operation.Segment),
            _ => new SegmentRecord(operation.Segment, operation.From),
        });
        var id = operation.Segment.Spec.Name;
        var started = operation.Kind switch
        {
            SegmentOperationKind.Teardown => await service.StartTeardownAsync(id, "lab-test"),
            SegmentOperationKind.RotateKey => await service.StartKeyRotationAsync(id, operation.Pair!.A, operation.Pair.B, "lab-test"),
            _ => await service.StartApplyAsync(id, "lab-test"),
        };
        if (!started.IsOk) throw new InvalidOperationException($"{operation.Kind} of {id} refused: {string.Join("; ", started.Errors)}");
        var reading = Task.Run(async () =>
        {
            await foreach (var e in service.EventsAsync(started.Value!.Id))
            {
                if (onEvent is not null) await onEvent(e, CancellationToken.None);
                Delivered(e).TrySetResult();
            }
        });
        var ended = await service.WaitAsync(started.Value!.Id, TimeSpan.FromMinutes(10));
        await reading;
        return ended?.Result ?? throw new InvalidOperationException($"operation {started.Value.Id} ended without a result: {ended?.Status} {ended?.Error}");
    }

    /// <summary>Every host a run was given, by id (the prober outlives the runs).</summary>
    private sealed class SeenTargets(ConcurrentDictionary<HostId, HostTarget> targets) : IHostTargetSource
    {
        public Task<HostTarget?> FindAsync(HostId host, CancellationToken cancellationToken) => Task.FromResult(targets.GetValueOrDefault(host));
    }

    /// <summary>After each executor event has gone to the operation's stream, waits until the test has seen it.</summary>
    private sealed class TappedExecutor(IPlanExecutor inner, Func<ApplyEvent, ValueTask> seen) : IPlanExecutor
    {
        public Task<PlanExecution> ExecuteAsync(SegmentPlan plan, HostLease lease, OperationContext context,
            Func<ApplyEvent, ValueTask> onEvent, ApplyOptions options, CancellationToken cancellationToken) =>
            inner.ExecuteAsync(plan, lease, context, async e =>
            {
                await onEvent(e);
                await seen(e);
            }, options, cancellationToken);
    }
}
