using System.Collections.Immutable;
using Superbridge.Core.Allocation;
using Superbridge.Core.Model;
using Superbridge.Core.Mtu;
using Superbridge.Core.Planning;
using Superbridge.Operations;
using Superbridge.Web.Audit;
using Superbridge.Web.Ipsec;

namespace Superbridge.Web.Api;

/// <summary>
/// A segment with what it asks for, the identifiers allocated for it, whether the hosts have it yet, and its latest
/// operation (an <c>interrupted</c> one says what to do). <see cref="Ipsec"/>: for an encrypted segment, each
/// protected pair's SAs as the hosts' last inventories saw them (only <c>GET /api/segments/{id}</c> fills it).
/// </summary>
public sealed record SegmentResponse(
    string Id,
    string Name,
    string Bridge,
    string Transport,
    string Encryption,
    ImmutableArray<HostId> HostIds,
    ImmutableArray<LinkSpec> Links,
    RouterSpec? Router,
    ImmutableArray<AttachmentSpec> Attachments,
    ImmutableArray<UplinkResponse> Uplinks,
    SegmentAllocation Allocation,
    bool Applied,
    bool HasUnappliedChanges,
    bool MayHaveLeftovers,
    OperationSummaryResponse? LastOperation,
    ImmutableArray<LinkSa>? Ipsec = null)
{
    public static SegmentResponse From(SegmentRecord record, OperationRecord? last = null, ImmutableArray<LinkSa>? ipsec = null)
    {
        var spec = record.Desired.Spec;
        return new(record.Id, spec.Name, spec.Bridge, spec.Transport.ToWire(), spec.Encryption == Core.Model.Encryption.Ipsec ? "ipsec" : "none", spec.Members, spec.Links, spec.Router,
            spec.Attachments, [.. spec.Uplinks.Select(u => new UplinkResponse(u.Host, u.Interface))], record.Desired.Allocation, record.Applied is not null, record.HasUnappliedChanges,
            record.Attempted is not null, last is null ? null : OperationSummaryResponse.From(last), ipsec);
    }
}

/// <summary>An uplink NIC, in the request's words.</summary>
public sealed record UplinkResponse(HostId HostId, string Interface);

public sealed record PlanStepResponse(string Id, string Description, ImmutableArray<string> Argv, string Shell, string? Check, string? Undo);

public sealed record HostPlanResponse(string HostId, ImmutableArray<PlanStepResponse> Steps);

/// <summary>One direction of an underlay path as measured: <see cref="Mtu"/> is null when every probe was dropped.</summary>
public sealed record PathResponse(string From, string To, string LocalAddress, string RemoteAddress, int? Mtu, int InterfaceMtu, DateTimeOffset MeasuredAt)
{
    public static PathResponse Of(MeasuredPath path) => new(path.Path.From.Value, path.Path.To.Value, path.Path.LocalAddress,
        path.Path.RemoteAddress, path.Mtu, path.Path.InterfaceMtu, path.MeasuredAt);
}

/// <summary>
/// What apply (or teardown) would run now, per host; empty when nothing is to do. Send <see cref="Fingerprint"/> as
/// <c>planFingerprint</c> to apply exactly this plan. <see cref="Paths"/>: the underlay paths its MTU follows, as
/// measured; <see cref="Warnings"/>: what may lose large frames.
/// </summary>
public sealed record PlanResponse(string Segment, string Operation, int Mtu, string Fingerprint, ImmutableArray<HostPlanResponse> Hosts, ImmutableArray<string> Drift,
    ImmutableArray<PathResponse> Paths, ImmutableArray<string> Warnings)
{
    public static PlanResponse From(SegmentPlan plan, SegmentOperationKind kind) => new(
        plan.Segment,
        OperationJournal.KindName(kind),
        plan.Mtu,
        PlanFingerprint.Of(plan),
        [.. plan.Hosts.Select(h => new HostPlanResponse(h.Host.Value, [.. h.Steps.Select(s =>
            new PlanStepResponse(s.Id, s.Description, s.Do.Argv, s.Do.ToShellLine(), s.Check?.ToShellLine(), s.Undo?.ToShellLine()))]))],
        [.. plan.Drift.Select(d => d.ToString())],
        [.. plan.Paths.Select(PathResponse.Of)],
        plan.Warnings);
}

public sealed record StepRunResponse(string StepId, string Description, string Outcome, string Shell, int? ExitCode, string Stdout, string Stderr, long DurationMs);

public sealed record UndoRunResponse(string StepId, string Description, string Outcome, string? Shell, int? ExitCode, string Stderr);

public sealed record HostRunResponse(string HostId, ImmutableArray<StepRunResponse> Steps, ImmutableArray<UndoRunResponse> Undone);

/// <summary>Per host, every step and undo as it ran, with each command's exit code and output.</summary>
public sealed record RunResultResponse(ImmutableArray<HostRunResponse> Hosts, ImmutableArray<string> Problems, ImmutableArray<string> Drift, bool PlanChanged)
{
    public static RunResultResponse From(ApplyResult result) => new(
        [.. result.Hosts.Select(h => new HostRunResponse(
            h.Host.Value,
            [.. h.Steps.Select(s => new StepRunResponse(
                s.StepId, s.Description, s.Outcome.Name(),
                (s.Run ?? s.Check)?.Command.ToShellLine() ?? "",
                (s.Run ?? s.Check)?.ExitCode,
                (s.Run ?? s.Check)?.StandardOutput ?? "",
                (s.Run ?? s.Check)?.StandardError ?? "",
                (long)((s.Run?.Duration ?? TimeSpan.Zero) + (s.Check?.Duration ?? TimeSpan.Zero)).TotalMilliseconds))],
            [.. h.Undone.Select(u => new UndoRunResponse(
                u.StepId, u.Description, u.Outcome.Name(), u.Run?.Command.ToShellLine(), u.Run?.ExitCode, u.Run?.StandardError ?? ""))]))],
        [.. result.Problems.Select(p => p.ToString())],
        result.Drift,
        result.PlanChanged);
}
