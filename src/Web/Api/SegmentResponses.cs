using System.Collections.Immutable;
using Superbridge.Core.Allocation;
using Superbridge.Core.Model;
using Superbridge.Core.Planning;
using Superbridge.Operations;
using Superbridge.Ssh.Apply;
using Superbridge.Web.Segments;

namespace Superbridge.Web.Api;

/// <summary>A segment with what it asks for, the identifiers allocated for it, and whether the hosts have it yet.</summary>
public sealed record SegmentResponse(
    string Id,
    string Name,
    string Bridge,
    string Transport,
    ImmutableArray<HostId> HostIds,
    ImmutableArray<LinkSpec> Links,
    RouterSpec? Router,
    ImmutableArray<AttachmentSpec> Attachments,
    SegmentAllocation Allocation,
    bool Applied,
    bool HasUnappliedChanges)
{
    public static SegmentResponse From(SegmentRecord record)
    {
        var spec = record.Desired.Spec;
        return new(record.Id, spec.Name, spec.Bridge, spec.Transport.ToWire(), spec.Members, spec.Links, spec.Router,
            spec.Attachments, record.Desired.Allocation, record.Applied is not null, record.HasUnappliedChanges);
    }
}

public sealed record PlanStepResponse(string Id, string Description, ImmutableArray<string> Argv, string Shell, string? Check, string? Undo);

public sealed record HostPlanResponse(string HostId, ImmutableArray<PlanStepResponse> Steps);

/// <summary>What apply would run now, per host; empty when nothing is to do.</summary>
public sealed record PlanResponse(string Segment, int Mtu, ImmutableArray<HostPlanResponse> Hosts, ImmutableArray<string> Drift)
{
    public static PlanResponse From(SegmentPlan plan) => new(
        plan.Segment,
        plan.Mtu,
        [.. plan.Hosts.Select(h => new HostPlanResponse(h.Host.Value, [.. h.Steps.Select(s =>
            new PlanStepResponse(s.Id, s.Description, s.Do.Argv, s.Do.ToShellLine(), s.Check?.ToShellLine(), s.Undo?.ToShellLine()))]))],
        [.. plan.Drift.Select(d => d.ToString())]);
}

public sealed record StepRunResponse(string StepId, string Description, string Outcome, string Shell, int? ExitCode, string Stdout, string Stderr, long DurationMs);

public sealed record UndoRunResponse(string StepId, string Description, string Outcome, string? Shell, int? ExitCode, string Stderr);

public sealed record HostRunResponse(string HostId, ImmutableArray<StepRunResponse> Steps, ImmutableArray<UndoRunResponse> Undone);

/// <summary>How an apply or teardown ended: <c>succeeded</c>, <c>rolled-back</c>, <c>failed</c> or <c>refused</c>, with every command's result.</summary>
public sealed record ApplyResponse(long? OperationId, string Status, ImmutableArray<HostRunResponse> Hosts, string? Error, ImmutableArray<string> Problems, ImmutableArray<string> Drift)
{
    public static ApplyResponse From(long? operationId, ApplyResult result) => new(
        operationId,
        SegmentApplyOutcome.StatusName(result.Status),
        [.. result.Hosts.Select(h => new HostRunResponse(
            h.Host.Value,
            [.. h.Steps.Select(s => new StepRunResponse(
                s.StepId, s.Description, s.Outcome.ToString().ToLowerInvariant(),
                (s.Run ?? s.Check)?.Command.ToShellLine() ?? "",
                (s.Run ?? s.Check)?.ExitCode,
                (s.Run ?? s.Check)?.StandardOutput ?? "",
                (s.Run ?? s.Check)?.StandardError ?? "",
                (long)((s.Run?.Duration ?? TimeSpan.Zero) + (s.Check?.Duration ?? TimeSpan.Zero)).TotalMilliseconds))],
            [.. h.Undone.Select(u => new UndoRunResponse(
                u.StepId, u.Description, u.Outcome.ToString().ToLowerInvariant(), u.Run?.Command.ToShellLine(), u.Run?.ExitCode, u.Run?.StandardError ?? ""))]))],
        result.Succeeded ? null : result.Summary,
        [.. result.Problems.Select(p => p.ToString())],
        result.Drift);
}
