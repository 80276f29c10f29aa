using System.Collections.Immutable;
using Superbridge.Core.Allocation;
using Superbridge.Core.Model;
using Superbridge.Core.Mtu;
using Superbridge.Core.Observed;
using Superbridge.Core.Planning;
using Superbridge.Core.Validation;

namespace Superbridge.Operations;

/// <summary>
/// The one owner of every change to segments and hosts: create, router, attach, detach, apply, teardown. A change of
/// what is wanted is allocated by Core against the hosts as just observed and stored only when valid. An operation on
/// hosts is stored before it starts, then runs in the background (no caller's disconnect reaches it): under the
/// segment's lock and each host's lock (fixed order) it reads the record, observes each host once, plans with Core
/// against every stored segment, runs preflight, executes with rollback, verifies, records the result and marks the
/// segment, then releases the locks.
/// </summary>
public sealed class SegmentService(
    ISegmentRepository segments,
    IOperationJournal journal,
    IHostObserver observer,
    IPlanExecutor executor,
    SegmentLocks segmentLocks,
    HostLocks hostLocks,
    OperationHub hub,
    TimeProvider time,
    ApplyOptions? applyOptions = null,
    IKeyStore? keys = null,
    PathMtuMeter? pathMtus = null)
{
    /// <summary>The message an operation left unfinished by a previous process ends with.</summary>
    public const string InterruptedMessage =
        "The dashboard stopped while this operation was unfinished. Apply again to converge (the checks skip what exists), " +
        "or tear down to remove whatever its plan may have created.";

    private readonly ApplyOptions _applyOptions = applyOptions ?? ApplyOptions.Default;
    private readonly ConcurrentTasks _running = new();

    public Task<IReadOnlyList<SegmentRecord>> ListAsync(CancellationToken cancellationToken = default) => segments.ListAsync(cancellationToken);

    public Task<SegmentRecord?> FindAsync(string id, CancellationToken cancellationToken = default) => segments.FindAsync(id, cancellationToken);

    // ---- What is wanted ----

    /// <summary>Stores a new segment; a taken name is refused (nothing is replaced).</summary>
    public async Task<Outcome<SegmentRecord>> CreateAsync(SegmentSpec spec, string user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        using var segmentLock = await segmentLocks.AcquireAsync(spec.Name ?? "", cancellationToken);
        if (spec.Name is { Length: > 0 } && await segments.FindAsync(spec.Name, cancellationToken) is not null)
            return Outcome<SegmentRecord>.Fail("name", ErrorCode.Duplicate, $"a segment named '{spec.Name}' already exists");
        var allocated = await AllocateAsync(spec, user, MemberField(spec), cancellationToken);
        if (!allocated.IsOk) return Outcome<SegmentRecord>.Fail(allocated.Errors);
        if (!await segments.AddAsync(allocated.Value!, cancellationToken))
            return Outcome<SegmentRecord>.Fail("name", ErrorCode.Duplicate, $"a segment named '{spec.Name}' already exists");
        return Outcome<SegmentRecord>.Ok((await segments.FindAsync(spec.Name!, cancellationToken))!);
    }

    /// <summary>Replaces what is wanted of an existing segment (its name stays); applied when the next apply runs.</summary>
    public Task<Outcome<SegmentRecord>> ChangeAsync(string id, SegmentSpec spec, string user, CancellationToken cancellationToken = default) =>
        EditAsync(id, _ => spec with { Name = id }, MemberField(spec), user, cancellationToken);

    /// <summary>Sets (or with null removes) the segment's DHCP router.</summary>
    public Task<Outcome<SegmentRecord>> SetRouterAsync(string id, RouterSpec? router, string user, CancellationToken cancellationToken = default) =>
        EditAsync(id, spec => spec with { Router = router }, _ => router is null ? "hostIds" : "hostId", user, cancellationToken);

    /// <summary>Turns IPsec on or off; applied as a change (tunnels and containers stay, their packets get or lose ESP).</summary>
    public Task<Outcome<SegmentRecord>> SetEncryptionAsync(string id, Encryption encryption, string user, CancellationToken cancellationToken = default) =>
        EditAsync(id, spec => spec with { Encryption = encryption }, _ => "encryption", user, cancellationToken);

    public Task<Outcome<SegmentRecord>> AttachAsync(string id, AttachmentSpec attachment, string user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(attachment);
        return EditAsync(id, spec => spec.Attachments.Any(a => a.Host == attachment.Host && a.Container == attachment.Container)
                ? new ValidationError("container", ErrorCode.Duplicate, $"container '{attachment.Container}' on '{attachment.Host}' is already attached")
                : spec with { Attachments = spec.Attachments.Add(attachment) },
            _ => "hostId", user, cancellationToken);
    }

    public Task<Outcome<SegmentRecord>> DetachAsync(string id, HostId host, string container, string user, CancellationToken cancellationToken = default) =>
        EditAsync(id, spec => spec.Attachments.Any(a => a.Host == host && a.Container == container)
                ? spec with { Attachments = spec.Attachments.RemoveAll(a => a.Host == host && a.Container == container) }
                : new ValidationError("container", ErrorCode.NotFound, $"container '{container}' on '{host}' is not attached"),
            _ => "hostId", user, cancellationToken);

    /// <summary>Adds an uplink NIC; applied as a change (only that NIC joins the bridge).</summary>
    public Task<Outcome<SegmentRecord>> AddUplinkAsync(string id, UplinkSpec uplink, string user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(uplink);
        return EditAsync(id, spec => spec.Uplinks.Contains(uplink)
                ? new ValidationError("interface", ErrorCode.Duplicate, $"{uplink.Interface} on '{uplink.Host}' is already an uplink")
                : spec with { Uplinks = spec.Uplinks.Add(uplink) },
            _ => "hostId", user, cancellationToken);
    }

    /// <summary>Removes an uplink NIC; applied as a change (the NIC is released from the bridge and left up).</summary>
    public Task<Outcome<SegmentRecord>> RemoveUplinkAsync(string id, UplinkSpec uplink, string user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(uplink);
        return EditAsync(id, spec => spec.Uplinks.Contains(uplink)
                ? spec with { Uplinks = spec.Uplinks.Remove(uplink) }
                : new ValidationError("interface", ErrorCode.NotFound, $"{uplink.Interface} on '{uplink.Host}' is not an uplink"),
            _ => "hostId", user, cancellationToken);
    }

    private async Task<Outcome<SegmentRecord>> EditAsync(
        string id, Func<SegmentSpec, OneOf> edit, Func<HostId, string> hostField, string user, CancellationToken cancellationToken)
    {
        using var segmentLock = await segmentLocks.AcquireAsync(id, cancellationToken);
        if (await segments.FindAsync(id, cancellationToken) is not { } record) return Outcome<SegmentRecord>.Missing;
        var edited = edit(record.Desired.Spec);
        if (edited.Error is { } error) return Outcome<SegmentRecord>.Fail([error]);
        var allocated = await AllocateAsync(edited.Spec!, user, hostField, cancellationToken);
        if (!allocated.IsOk) return Outcome<SegmentRecord>.Fail(allocated.Errors);
        await segments.SaveDesiredAsync(allocated.Value!, cancellationToken);
        return Outcome<SegmentRecord>.Ok((await segments.FindAsync(id, cancellationToken))!);
    }

    /// <summary>Either an edited spec or why the edit cannot be made.</summary>
    private readonly record struct OneOf(SegmentSpec? Spec, ValidationError? Error)
    {
        public static implicit operator OneOf(SegmentSpec spec) => new(spec, null);
        public static implicit operator OneOf(ValidationError error) => new(null, error);
    }

    private static Func<HostId, string> MemberField(SegmentSpec spec) => host =>
    {
        var i = spec.Members.IsDefault ? -1 : spec.Members.IndexOf(host);
        return i < 0 ? "hostIds" : $"hostIds[{i}]";
    };

    private async Task<Outcome<Segment>> AllocateAsync(SegmentSpec spec, string user, Func<HostId, string> hostField, CancellationToken cancellationToken)
    {
        var members = spec.Members.IsDefault ? [] : spec.Members.Where(m => m.Value is not null).Distinct().ToImmutableArray();
        var observed = await observer.ObserveAsync(members, OperationContext.Outside(user), cancellationToken);
        if (!observed.Problems.IsEmpty)
            return Outcome<Segment>.Fail(observed.Problems.Select(p => new ValidationError(
                p.Host is { } h ? hostField(h) : "hostIds", ErrorCode.UnknownHost, p.Message)));
        var existing = (await segments.ListAsync(cancellationToken)).Select(r => r.Desired);
        var allocated = SegmentAllocator.Allocate(spec, observed.Infos, existing, observed.Observed);
        return allocated.IsOk ? Outcome<Segment>.Ok(allocated.Value) : Outcome<Segment>.Fail(allocated.Errors);
    }

    // ---- Previews ----

    /// <summary>What applying (or tearing down) the segment would run now, against hosts observed now.</summary>
    public async Task<Outcome<SegmentPreview>> PreviewAsync(string id, SegmentOperationKind kind, string user, CancellationToken cancellationToken = default)
    {
        var all = await segments.ListAsync(cancellationToken);
        if (all.FirstOrDefault(r => r.Id == id) is not { } record) return Outcome<SegmentPreview>.Missing;
        var operation = kind == SegmentOperationKind.Teardown ? OperationPlanner.Teardown(record) : OperationPlanner.NextApply(record);
        return await PreviewObservedAsync(record, operation, all, user, cancellationToken);
    }

    /// <summary>What rotating the key of the IPsec pair of two hosts would run now.</summary>
    public async Task<Outcome<SegmentPreview>> PreviewKeyRotationAsync(string id, HostId first, HostId second, string user, CancellationToken cancellationToken = default)
    {
        var all = await segments.ListAsync(cancellationToken);
        if (all.FirstOrDefault(r => r.Id == id) is not { } record) return Outcome<SegmentPreview>.Missing;
        var operation = OperationPlanner.RotateKey(record, first, second);
        return operation.IsOk ? await PreviewObservedAsync(record, operation.Value, all, user, cancellationToken) : Outcome<SegmentPreview>.Fail(operation.Errors);
    }

    private async Task<Outcome<SegmentPreview>> PreviewObservedAsync(
        SegmentRecord record, SegmentOperation? operation, IReadOnlyList<SegmentRecord> all, string user, CancellationToken cancellationToken)
    {
        var hosts = operation?.Hosts ?? [];
        var context = OperationContext.Outside(user);
        var observed = await observer.ObserveAsync(hosts, context, cancellationToken);
        var (paths, pathProblems) = observed.Problems.IsEmpty ? await MeasurePathsAsync(operation, observed, context, cancellationToken) : (null, []);
        var problems = observed.Problems.AddRange(pathProblems);
        if (!problems.IsEmpty)
            return Outcome<SegmentPreview>.Fail(problems.Select(p => new ValidationError(
                p.Host is { } h ? $"hostIds[{Math.Max(0, hosts.IndexOf(h))}]" : "hostIds", ErrorCode.UnknownHost, p.Message)));
        return Preview(record, operation, observed.Infos, observed.Observed, all, paths);
    }

    /// <summary>
    /// The underlay paths of what an apply or change sets up, measured (or remembered) for its MTU; nothing for other
    /// operations, or without a meter (planned from the interfaces' MTU).
    /// </summary>
    private async Task<(ImmutableArray<MeasuredPath>? Paths, ImmutableArray<PreflightProblem> Problems)> MeasurePathsAsync(
        SegmentOperation? operation, HostObservations observed, OperationContext context, CancellationToken cancellationToken)
    {
        if (pathMtus is null || operation is not { Creates: true }) return (null, []);
        var (paths, problems) = await pathMtus.MeasureAsync(operation.Segment.Spec, observed.Infos, context, cancellationToken);
        return (paths, problems);
    }

    /// <summary>The preview from hosts as last observed (the dialogs' cached view): the same function an apply plans with.</summary>
    /// <param name="paths">The segment's underlay paths as measured; without them the MTU comes from the interfaces.</param>
    public static Outcome<SegmentPreview> Preview(SegmentRecord record, SegmentOperation? operation,
        IReadOnlyDictionary<HostId, HostInfo> hosts, IReadOnlyDictionary<HostId, ObservedHost> observed, IEnumerable<SegmentRecord> all,
        IReadOnlyCollection<MeasuredPath>? paths = null)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (operation is null)
        {
            var empty = new SegmentPlan { Segment = record.Id, Mtu = 0, Hosts = [] };
            return Outcome<SegmentPreview>.Ok(new SegmentPreview(record, null, empty, PlanFingerprint.Of(empty)));
        }
        var plan = OperationPlanner.Plan(operation, hosts, observed, all, paths);
        return plan.IsOk
            ? Outcome<SegmentPreview>.Ok(new SegmentPreview(record, operation, plan.Value, PlanFingerprint.Of(plan.Value)))
            : Outcome<SegmentPreview>.Fail(plan.Errors);
    }

    // ---- Operations on hosts ----

    /// <summary>
    /// Stores an apply (or change) of the segment as wanted now and starts it in the background. With
    /// <paramref name="planFingerprint"/>, only that plan runs: a plan that changed since is refused with the new one.
    /// </summary>
    public Task<Outcome<OperationRecord>> StartApplyAsync(string id, string user, string? planFingerprint = null, CancellationToken cancellationToken = default) =>
        StartAsync(id, user, teardown: false, planFingerprint, cancellationToken);

    /// <summary>Stores a teardown and starts it; once the hosts are clean the segment is forgotten.</summary>
    public Task<Outcome<OperationRecord>> StartTeardownAsync(string id, string user, string? planFingerprint = null, CancellationToken cancellationToken = default) =>
        StartAsync(id, user, teardown: true, planFingerprint, cancellationToken);

    /// <summary>
    /// Stores a rotation of the key the two hosts share and starts it: a new key is staged, written on both ends (the
    /// old one written back if anything fails) and the IKE SA re-authenticated; the new key is kept only when all of it
    /// succeeded. Refused, nothing stored, when the segment is not applied encrypted or the hosts share no key.
    /// </summary>
    public async Task<Outcome<OperationRecord>> StartKeyRotationAsync(
        string id, HostId first, HostId second, string user, string? planFingerprint = null, CancellationToken cancellationToken = default)
    {
        if (await segments.FindAsync(id, cancellationToken) is not { } record) return Outcome<OperationRecord>.Missing;
        if (keys is null) return Outcome<OperationRecord>.Fail("encryption", ErrorCode.Unsupported, "no IPsec key store is configured");
        var chosen = OperationPlanner.RotateKey(record, first, second);
        return chosen.IsOk
            ? await StartAsync(id, user, r => OperationPlanner.RotateKey(r, first, second), SegmentOperationKind.RotateKey, record.Applied, planFingerprint)
            : Outcome<OperationRecord>.Fail(chosen.Errors);
    }

    private async Task<Outcome<OperationRecord>> StartAsync(string id, string user, bool teardown, string? fingerprint, CancellationToken cancellationToken)
    {
        if (await segments.FindAsync(id, cancellationToken) is not { } record) return Outcome<OperationRecord>.Missing;
        return teardown
            ? await StartAsync(id, user, r => OperationPlanner.Teardown(r) is { } t ? Outcome<SegmentOperation>.Ok(t) : Outcome<SegmentOperation>.Missing,
                SegmentOperationKind.Teardown, record.Applied ?? record.Attempted, fingerprint)
            : await StartAsync(id, user, r => Outcome<SegmentOperation>.Ok(OperationPlanner.NextApply(r)), OperationPlanner.NextApply(record).Kind, record.Desired, fingerprint);
    }

    /// <param name="choose">The operation, chosen again from the record once the segment's lock is held: not found when
    /// nothing of a segment to tear down is on any host, errors when it can no longer run.</param>
    private async Task<Outcome<OperationRecord>> StartAsync(
        string id, string user, Func<SegmentRecord, Outcome<SegmentOperation>> choose, SegmentOperationKind kind, Segment? snapshot, string? fingerprint)
    {
        var queued = await journal.QueueAsync(kind, id, user, snapshot, CancellationToken.None);
        var feed = hub.Open(queued.Id);
        _running.Add(Task.Run(() => RunAsync(queued, feed, choose, fingerprint), CancellationToken.None));
        return Outcome<OperationRecord>.Ok(queued);
    }

    public async Task<OperationRecord?> FindOperationAsync(long id, CancellationToken cancellationToken = default) =>
        await journal.FindAsync(id, cancellationToken);

    public Task<IReadOnlyList<OperationRecord>> ListOperationsAsync(string? segmentId, int limit = 100, CancellationToken cancellationToken = default) =>
        journal.ListAsync(segmentId, limit, cancellationToken);

    /// <summary>The operation once it has ended, or as it stands after <paramref name="timeout"/>; null when unknown.</summary>
    public async Task<OperationRecord?> WaitAsync(long id, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        if (hub.Find(id) is { } feed)
        {
            try
            {
                return await feed.Finished.WaitAsync(timeout, time, cancellationToken);
            }
            catch (TimeoutException)
            {
            }
        }
        return await journal.FindAsync(id, cancellationToken);
    }

    /// <summary>Waits until the operation's plan is known and checked, or it ended, or <paramref name="timeout"/> passed.</summary>
    public async Task<OperationRecord?> WaitPlannedAsync(long id, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        if (hub.Find(id) is { } feed)
        {
            try
            {
                await feed.Planned.WaitAsync(timeout, time, cancellationToken);
            }
            catch (TimeoutException)
            {
            }
        }
        return await journal.FindAsync(id, cancellationToken);
    }

    /// <summary>The operation's events from its start, then live until it ends; empty for an operation of an earlier process.</summary>
    public IAsyncEnumerable<ApplyEvent> EventsAsync(long id, CancellationToken cancellationToken = default) =>
        hub.Find(id) is { } feed ? feed.ReadAllAsync(cancellationToken) : AsyncEnumerable.Empty<ApplyEvent>();

    /// <summary>Asks a queued or running operation to stop after its running step and roll back. False when it is not running here.</summary>
    public bool Cancel(long id)
    {
        if (hub.Find(id) is not { Finished.IsCompleted: false } feed) return false;
        feed.Cancel();
        return true;
    }

    /// <summary>At start: operations a previous process left queued or running become interrupted.</summary>
    public Task<IReadOnlyList<OperationRecord>> RecoverAsync(CancellationToken cancellationToken = default) =>
        journal.InterruptUnfinishedAsync(InterruptedMessage, cancellationToken);

    /// <summary>Segments naming the host in any version (wanted, applied, attempted).</summary>
    public async Task<ImmutableArray<string>> SegmentsUsingAsync(HostId host, CancellationToken cancellationToken = default) =>
        [.. (await segments.ListAsync(cancellationToken)).Where(r => r.Hosts.Contains(host)).Select(r => r.Id)];

    /// <summary>Whether an operation holds the host's lock now.</summary>
    public bool IsBusy(HostId host) => hostLocks.IsBusy(host);

    /// <summary>Waits for every operation started by this instance (for shutdown and tests).</summary>
    public Task DrainAsync() => _running.WhenAllAsync();

    /// <summary>
    /// The hosts as they are after the run, for verification: hosts that ran steps are read again; a host whose part of
    /// the plan was empty ran nothing and is held by this operation, so what was just read of it still stands (a
    /// re-apply that changes nothing costs one round trip per host, not two).
    /// </summary>
    private async Task<HostObservations> ObserveAgainAsync(SegmentPlan plan, HostObservations before, OperationContext context)
    {
        var ran = plan.Hosts.Where(h => !h.Steps.IsEmpty).Select(h => h.Host).ToList();
        if (ran.Count == 0) return before;
        var reread = await observer.ObserveAsync(ran, context, CancellationToken.None);
        return new HostObservations(before.Hosts.SetItems(reread.Hosts), reread.Problems);
    }

    /// <summary>
    /// After a rotation ran: the staged key becomes the pair's key once both ends have it; after a clean rollback both
    /// ends hold the old key again and the staged one goes. After a failed rollback an end may hold either, so both
    /// stay (the next rotation writes a new key on both ends).
    /// </summary>
    private Task SettleKeyAsync(IpsecPair pair, ApplyStatus status) => status switch
    {
        ApplyStatus.Succeeded => keys!.PromoteAsync(pair.Name, CancellationToken.None),
        ApplyStatus.RolledBack => keys!.DiscardAsync(pair.Name, CancellationToken.None),
        _ => Task.CompletedTask,
    };

    private async Task RunAsync(OperationRecord queued, OperationFeed feed, Func<SegmentRecord, Outcome<SegmentOperation>> choose, string? fingerprint)
    {
        var context = new OperationContext(queued.Id, queued.User);
        var startedAt = time.GetUtcNow();
        ValueTask Emit(ApplyEvent e)
        {
            feed.Append(e);
            return ValueTask.CompletedTask;
        }

        async Task Finish(OperationStatus status, ApplyResult? result, string? error)
        {
            if (result is not null) await Emit(new OperationCompleted(result.FinishedAt, result));
            await journal.FinishAsync(queued.Id, status, result, error, CancellationToken.None);
            feed.Complete(await journal.FindAsync(queued.Id, CancellationToken.None) ?? queued with { Status = status, Error = error, Result = result });
        }

        ApplyResult Ended(SegmentOperationKind kind, ApplyStatus status) => new()
        {
            Segment = queued.SegmentId, Operation = kind, Status = status, StartedAt = startedAt, FinishedAt = time.GetUtcNow(),
        };

        async Task Refuse(SegmentOperationKind kind, IEnumerable<PreflightProblem> problems, SegmentPlan? plan = null, bool planChanged = false)
        {
            var list = problems.ToImmutableArray();
            await Emit(new PreflightFailed(time.GetUtcNow(), list));
            var result = Ended(kind, ApplyStatus.Refused) with { Problems = list, Plan = plan, PlanChanged = planChanged };
            await Finish(OperationStatus.Refused, result, result.Summary);
        }

        try
        {
            using var segmentLock = await segmentLocks.AcquireAsync(queued.SegmentId, feed.Cancellation);
            var all = await segments.ListAsync(CancellationToken.None);
            if (all.FirstOrDefault(r => r.Id == queued.SegmentId) is not { } record)
            {
                await Refuse(queued.Kind, [new PreflightProblem(null, $"segment {queued.SegmentId} no longer exists")]);
                return;
            }
            var chosen = choose(record);
            if (!chosen.Errors.IsEmpty)
            {
                await Refuse(queued.Kind, chosen.Errors.Select(e => new PreflightProblem(null, $"{e.Path}: {e.Message}")));
                return;
            }
            if (chosen.Value is not { } operation)
            {
                // Never on any host: nothing to run, the segment is simply forgotten.
                await journal.MarkRunningAsync(queued.Id, CancellationToken.None);
                await segments.DeleteAsync(queued.SegmentId, CancellationToken.None);
                var empty = new SegmentPlan { Segment = queued.SegmentId, Mtu = 0, Hosts = [] };
                await Finish(OperationStatus.Succeeded, Ended(SegmentOperationKind.Teardown, ApplyStatus.Succeeded) with { Plan = empty }, null);
                return;
            }

            using var lease = await hostLocks.AcquireAsync(operation.Hosts, feed.Cancellation);
            // Other segments on these hosts may have changed while this one waited for them (a teardown that ran
            // first): plan against them as they are now that nothing else can change them.
            all = await segments.ListAsync(CancellationToken.None);
            await journal.MarkRunningAsync(queued.Id, CancellationToken.None);
            var observed = await observer.ObserveAsync(operation.Hosts, context, CancellationToken.None);
            if (!observed.Problems.IsEmpty)
            {
                await Refuse(operation.Kind, observed.Problems);
                return;
            }
            if (operation.Creates)
            {
                var featureProblems = ApplyPreflight.CheckFeatures(operation.Segment, observed.Infos, observed.Observed);
                if (!featureProblems.IsEmpty)
                {
                    await Refuse(operation.Kind, featureProblems);
                    return;
                }
            }
            var (paths, pathProblems) = await MeasurePathsAsync(operation, observed, context, CancellationToken.None);
            if (!pathProblems.IsEmpty)
            {
                await Refuse(operation.Kind, pathProblems);
                return;
            }
            var planned = OperationPlanner.Plan(operation, observed.Infos, observed.Observed, all, paths);
            if (!planned.IsOk)
            {
                await Refuse(operation.Kind, planned.Errors.Select(e => new PreflightProblem(null, $"the segment cannot be planned: {e}")));
                return;
            }
            var plan = planned.Value;
            var planFingerprint = PlanFingerprint.Of(plan);
            await journal.RecordPlanAsync(queued.Id, operation.Segment, plan, planFingerprint, CancellationToken.None);
            if (fingerprint is not null && fingerprint != planFingerprint)
            {
                await Refuse(operation.Kind,
                    [new PreflightProblem(null, $"the plan changed since it was previewed (previewed {fingerprint}, now {planFingerprint}); review the new plan and apply it")],
                    plan, planChanged: true);
                return;
            }
            if (operation.Creates)
            {
                var conflicts = ApplyPreflight.CheckNamesAndIds(operation.Segment, observed.Observed);
                if (!conflicts.IsEmpty)
                {
                    await Refuse(operation.Kind, conflicts, plan);
                    return;
                }
            }
            if (feed.CancelRequested)
            {
                await Finish(OperationStatus.Cancelled, Ended(operation.Kind, ApplyStatus.Refused) with { Plan = plan }, "cancelled before it started");
                return;
            }

            feed.MarkPlanned();
            await Emit(new PlanReady(time.GetUtcNow(), plan));
            if (operation.Creates) await segments.SaveAttemptedAsync(queued.SegmentId, operation.Segment, CancellationToken.None);
            if (operation.Pair is { } rotated) await keys!.StageAsync(rotated.Name, CancellationToken.None);
            var execution = await executor.ExecuteAsync(plan, lease, context, Emit, _applyOptions, feed.Cancellation);
            var status = OperationStatusNames.From(execution.Status, feed.CancelRequested);
            if (operation.Pair is { } pair) await SettleKeyAsync(pair, execution.Status);
            if (execution.Status != ApplyStatus.Succeeded)
            {
                if (execution.Status == ApplyStatus.RolledBack && operation.Creates)
                    await segments.ClearAttemptedAsync(queued.SegmentId, CancellationToken.None);
                var failed = Ended(operation.Kind, execution.Status) with { Hosts = execution.Hosts, Error = execution.Error, Plan = plan };
                await Finish(status, failed, failed.Summary);
                return;
            }

            var fresh = await ObserveAgainAsync(plan, observed, context);
            var drift = OperationPlanner.Verify(operation, fresh, all, paths);
            await Emit(new Verified(time.GetUtcNow(), drift));
            if (operation.Kind == SegmentOperationKind.Teardown) await segments.DeleteAsync(queued.SegmentId, CancellationToken.None);
            else if (operation.Creates) await segments.MarkAppliedAsync(operation.Segment, CancellationToken.None);
            var succeeded = Ended(operation.Kind, ApplyStatus.Succeeded) with { Hosts = execution.Hosts, Plan = plan, Drift = drift };
            await Finish(OperationStatus.Succeeded, succeeded, drift.IsEmpty ? null : succeeded.Summary);
        }
        catch (OperationCanceledException) when (feed.CancelRequested)
        {
            await Finish(OperationStatus.Cancelled, Ended(queued.Kind, ApplyStatus.Refused), "cancelled while queued; nothing ran");
        }
        catch (Exception e)
        {
            // A bug, not a host's answer: the operation still ends visibly, with what happened (and its log ends too).
            var message = $"the operation failed unexpectedly: {e.GetType().Name}: {e.Message}";
            await Finish(OperationStatus.Failed, Ended(queued.Kind, ApplyStatus.Failed) with { Error = new ApplyFailure(null, null, message) }, message);
        }
    }
}
