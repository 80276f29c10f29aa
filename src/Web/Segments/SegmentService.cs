using System.Collections.Immutable;
using Superbridge.Core.Allocation;
using Superbridge.Core.Model;
using Superbridge.Core.Planning;
using Superbridge.Operations;
using Superbridge.Ssh.Apply;
using Superbridge.Web.Audit;
using Superbridge.Web.Validation;

namespace Superbridge.Web.Segments;

/// <summary>
/// What the Segments page and <c>/api/segments</c> do: create a segment, set its router, attach containers
/// (each change re-allocated by Core against freshly observed hosts and stored only when valid), preview
/// the plan, apply it with rollback, and tear it down.
/// </summary>
public sealed class SegmentService(SegmentStore store, SegmentHostObserver observer, SegmentApplier applier, AuditStore audit)
{
    public Task<IReadOnlyList<SegmentRecord>> ListAsync(CancellationToken cancellationToken = default) => store.ListRecordsAsync(cancellationToken);

    public Task<SegmentRecord?> FindAsync(string id, CancellationToken cancellationToken = default) => store.FindRecordAsync(id, cancellationToken);

    public async Task<SegmentOutcome> CreateAsync(CreateSegmentRequest request, CancellationToken cancellationToken = default)
    {
        var errors = new FieldErrors();
        var spec = SegmentRequestMapper.ToSpec(request, errors);
        if (spec is null) return SegmentOutcome.Invalid(errors);
        if (await store.FindRecordAsync(spec.Name, cancellationToken) is not null)
        {
            errors.Add("name", $"a segment named '{spec.Name}' already exists");
            return SegmentOutcome.Invalid(errors);
        }
        return await AllocateAndSaveAsync(spec, "hostIds", cancellationToken);
    }

    public async Task<SegmentOutcome> SetRouterAsync(string id, RouterRequest request, CancellationToken cancellationToken = default)
    {
        if (await store.FindRecordAsync(id, cancellationToken) is not { } record) return SegmentOutcome.Missing;
        var errors = new FieldErrors();
        var router = SegmentRequestMapper.ToRouter(request, errors);
        if (router is null) return SegmentOutcome.Invalid(errors);
        return await AllocateAndSaveAsync(record.Desired.Spec with { Router = router }, "hostId", cancellationToken);
    }

    public async Task<SegmentOutcome> RemoveRouterAsync(string id, CancellationToken cancellationToken = default)
    {
        if (await store.FindRecordAsync(id, cancellationToken) is not { } record) return SegmentOutcome.Missing;
        return await AllocateAndSaveAsync(record.Desired.Spec with { Router = null }, "hostIds", cancellationToken);
    }

    public async Task<SegmentOutcome> AttachAsync(string id, AttachmentRequest request, CancellationToken cancellationToken = default)
    {
        if (await store.FindRecordAsync(id, cancellationToken) is not { } record) return SegmentOutcome.Missing;
        var errors = new FieldErrors();
        if (string.IsNullOrEmpty(request.HostId)) errors.Add("hostId", "hostId is required");
        if (string.IsNullOrEmpty(request.Container)) errors.Add("container", "container is required");
        if (errors.Any) return SegmentOutcome.Invalid(errors);
        var spec = record.Desired.Spec;
        if (spec.Attachments.Any(a => a.Host.Value == request.HostId && a.Container == request.Container))
        {
            errors.Add("container", $"container '{request.Container}' on '{request.HostId}' is already attached");
            return SegmentOutcome.Invalid(errors);
        }
        return await AllocateAndSaveAsync(
            spec with { Attachments = spec.Attachments.Add(new AttachmentSpec(request.HostId!, request.Container!)) }, "hostId", cancellationToken);
    }

    public async Task<SegmentOutcome> DetachAsync(string id, string hostId, string container, CancellationToken cancellationToken = default)
    {
        if (await store.FindRecordAsync(id, cancellationToken) is not { } record) return SegmentOutcome.Missing;
        var spec = record.Desired.Spec;
        var remaining = spec.Attachments.RemoveAll(a => a.Host.Value == hostId && a.Container == container);
        if (remaining.Length == spec.Attachments.Length) return SegmentOutcome.Missing;
        return await AllocateAndSaveAsync(spec with { Attachments = remaining }, "hostId", cancellationToken);
    }

    /// <summary>What apply would run now, against freshly observed hosts; empty when the hosts already match.</summary>
    public async Task<(SegmentPlan? Plan, FieldErrors Errors, bool NotFound)> PlanAsync(string id, CancellationToken cancellationToken = default)
    {
        if (await store.FindRecordAsync(id, cancellationToken) is not { } record) return (null, new FieldErrors(), true);
        var errors = new FieldErrors();
        var operation = NextOperation(record);
        var snapshot = await observer.ObserveAsync(operation.Hosts, "hostIds", errors, cancellationToken);
        if (snapshot is null) return (null, errors, false);
        var plan = operation.Plan(snapshot.Infos, snapshot.Observed);
        return plan.IsOk ? (plan.Value, errors, false) : (null, SegmentRequestMapper.ToFieldErrors(plan.Errors), false);
    }

    public Task<SegmentApplyOutcome> ApplyAsync(string id, string user, Func<ApplyEvent, CancellationToken, ValueTask>? onEvent = null, CancellationToken cancellationToken = default) =>
        RunAsync(id, user, teardown: false, onEvent, cancellationToken);

    /// <summary>Tears down what was applied (if anything) and forgets the segment once the hosts are clean.</summary>
    public Task<SegmentApplyOutcome> DeleteAsync(string id, string user, Func<ApplyEvent, CancellationToken, ValueTask>? onEvent = null, CancellationToken cancellationToken = default) =>
        RunAsync(id, user, teardown: true, onEvent, cancellationToken);

    private async Task<SegmentApplyOutcome> RunAsync(
        string id, string user, bool teardown, Func<ApplyEvent, CancellationToken, ValueTask>? onEvent, CancellationToken cancellationToken)
    {
        if (await store.FindRecordAsync(id, cancellationToken) is not { } record) return SegmentApplyOutcome.Missing;
        if (teardown && record.Applied is null)
        {
            await store.DeleteAsync(id, cancellationToken);
            return new SegmentApplyOutcome(null, null, new FieldErrors());
        }
        var operation = teardown ? SegmentOperation.Teardown(record.Applied!) : NextOperation(record);
        var errors = new FieldErrors();
        var snapshot = await observer.ObserveAsync(operation.Hosts, "hostIds", errors, cancellationToken);
        if (snapshot is null) return new SegmentApplyOutcome(null, null, errors);

        var operationId = await audit.StartOperationAsync(teardown ? "teardown" : "apply", id, user, cancellationToken);
        ApplyResult result;
        using (OperationScope.Begin(user, operationId))
        {
            try
            {
                result = await applier.RunAsync(operation, [.. snapshot.Hosts.Values], onEvent: onEvent, cancellationToken: cancellationToken);
            }
            catch (Exception e)
            {
                await audit.FinishOperationAsync(operationId, "failed", e.Message, CancellationToken.None);
                throw;
            }
        }
        await audit.FinishOperationAsync(operationId, SegmentApplyOutcome.StatusName(result.Status),
            result.Succeeded ? null : result.Summary, CancellationToken.None);
        if (result.Succeeded)
        {
            if (teardown) await store.DeleteAsync(id, CancellationToken.None);
            else await store.MarkAppliedAsync(record.Desired, CancellationToken.None);
        }
        return new SegmentApplyOutcome(operationId, result, errors);
    }

    /// <summary>
    /// A changed segment moves from what was applied to what is wanted (a moved router is torn down on its old
    /// host); an unchanged one is applied again, which restores whatever went missing on the hosts.
    /// </summary>
    public static SegmentOperation NextOperation(SegmentRecord record) =>
        record.Applied is { } applied && record.HasUnappliedChanges
            ? SegmentOperation.Change(applied, record.Desired)
            : SegmentOperation.Apply(record.Desired);

    /// <summary>Stores a wanted segment (new or changed), allocated by Core against freshly observed hosts; nothing is stored when invalid.</summary>
    public Task<SegmentOutcome> StoreAsync(SegmentSpec spec, CancellationToken cancellationToken = default) =>
        AllocateAndSaveAsync(spec, "members", cancellationToken);

    private async Task<SegmentOutcome> AllocateAndSaveAsync(SegmentSpec spec, string hostField, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var snapshot = await observer.ObserveAsync(spec.Members, hostField, errors, cancellationToken);
        if (snapshot is null) return SegmentOutcome.Invalid(errors);
        var existing = await store.ListAsync(cancellationToken);
        var allocated = SegmentAllocator.Allocate(spec, snapshot.Infos, existing, snapshot.Observed);
        if (!allocated.IsOk) return SegmentOutcome.Invalid(SegmentRequestMapper.ToFieldErrors(allocated.Errors));
        await store.SaveAsync(allocated.Value, cancellationToken);
        return new SegmentOutcome(await store.FindRecordAsync(spec.Name, cancellationToken), errors);
    }
}
