namespace Superbridge.Web.Audit;

/// <summary>One thing a user asked the dashboard to do to hosts (apply, teardown, ...), and how it ended.</summary>
public sealed record OperationRecord(
    long Id,
    string Kind,
    string? SegmentId,
    string User,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    string Status,
    string? Error);
