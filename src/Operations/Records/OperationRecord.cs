using Superbridge.Core.Model;
using Superbridge.Core.Planning;

namespace Superbridge.Operations;

/// <summary>
/// One thing a user asked to be done to hosts, as stored: stored before its first command with its kind, segment,
/// user and the version of the segment (with the allocation) it takes the hosts to; its exact plan once planned;
/// how it ended.
/// </summary>
public sealed record OperationRecord
{
    public required long Id { get; init; }
    public required SegmentOperationKind Kind { get; init; }
    public required string SegmentId { get; init; }
    public required string User { get; init; }
    public required OperationStatus Status { get; init; }
    public required DateTimeOffset QueuedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>The segment as the operation takes the hosts to it (for a teardown: the version removed).</summary>
    public Segment? Target { get; init; }

    public SegmentPlan? Plan { get; init; }
    public string? PlanFingerprint { get; init; }

    /// <summary>Per-host results, problems, drift, timings; null until it ends (and for an interrupted operation).</summary>
    public ApplyResult? Result { get; init; }

    /// <summary>One line saying what went wrong (and for an interrupted one, what to do).</summary>
    public string? Error { get; init; }
}
