using Superbridge.Operations;
using Superbridge.Web.Audit;

namespace Superbridge.Web.Api;

/// <summary>An operation in a list: what, on which segment, by whom, where it is, when.</summary>
public sealed record OperationSummaryResponse(
    long Id, string Kind, string Segment, string User, string Status, DateTimeOffset QueuedAt, DateTimeOffset? StartedAt, DateTimeOffset? EndedAt, string? Error)
{
    public static OperationSummaryResponse From(OperationRecord o) =>
        new(o.Id, OperationJournal.KindName(o.Kind), o.SegmentId, o.User, o.Status.Name(), o.QueuedAt, o.StartedAt, o.EndedAt, o.Error);
}

/// <summary>
/// One operation: <c>queued|running|succeeded|rolled-back|failed|refused|interrupted|cancelled</c>, the exact plan it
/// runs (with its fingerprint), per-host step and undo results, error, problems, drift and timings.
/// </summary>
public sealed record OperationResponse(
    long Id,
    string Kind,
    string Segment,
    string User,
    string Status,
    bool Finished,
    DateTimeOffset QueuedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? EndedAt,
    long? DurationMs,
    string? Error,
    string? PlanFingerprint,
    PlanResponse? Plan,
    RunResultResponse? Result)
{
    public static OperationResponse From(OperationRecord o) => new(
        o.Id,
        OperationJournal.KindName(o.Kind),
        o.SegmentId,
        o.User,
        o.Status.Name(),
        o.Status.IsFinished(),
        o.QueuedAt,
        o.StartedAt,
        o.EndedAt,
        o.EndedAt is { } end ? (long)(end - (o.StartedAt ?? o.QueuedAt)).TotalMilliseconds : null,
        o.Error,
        o.PlanFingerprint,
        o.Plan is { } plan ? PlanResponse.From(plan, o.Kind) : null,
        o.Result is { } result ? RunResultResponse.From(result) : null);
}
