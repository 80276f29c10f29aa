using Superbridge.Operations;
using System.Collections.Immutable;
using Superbridge.Core.Allocation;
using Superbridge.Core.Model;
using Superbridge.Core.Planning;
using Superbridge.Core.Validation;
using Superbridge.Web.Segments;

namespace Superbridge.Web.Topology;

/// <summary>
/// A wanted version of a segment before it is saved: what Core allocated for it on a scratch copy of the stored
/// segments, and the commands applying it would run (a change from what was applied, when it was), or Core's errors.
/// </summary>
public sealed record SegmentDraft
{
    public required SegmentSpec Spec { get; init; }
    public Segment? Segment { get; init; }
    public SegmentPlan? Plan { get; init; }

    /// <summary>The plan's fingerprint, sent with the apply so that only this plan runs.</summary>
    public string? Fingerprint { get; init; }
    public ImmutableArray<ValidationError> Errors { get; init; } = [];

    public bool IsValid => Errors.IsEmpty && Segment is not null && Plan is not null;

    /// <summary>Errors at exactly <paramref name="path"/> (Core's JSON-ish path, e.g. <c>links[0].tunnelId</c>).</summary>
    public IEnumerable<ValidationError> At(string path) => Errors.Where(e => e.Path == path);
}

/// <summary>
/// Allocates and plans a wanted segment without storing anything and without touching a host, from the hosts as last
/// observed. Plans come from <see cref="SegmentService.Preview"/>, the function every operation plans with, and carry
/// its fingerprint: an apply that sends it runs exactly this plan, or is refused and shows the new one.
/// </summary>
public static class SegmentDraftPlanner
{
    /// <param name="current">The stored segment this spec replaces (null for a new one); what it has on hosts is the starting point.</param>
    /// <param name="stored">Every stored segment (the allocator keeps this segment's previous identifiers and avoids the others').</param>
    public static SegmentDraft Preview(SegmentSpec spec, SegmentRecord? current, IReadOnlyCollection<SegmentRecord> stored, KnownHosts hosts)
    {
        var allocated = SegmentAllocator.Allocate(spec, hosts.Infos(), stored.Select(r => r.Desired), hosts.Observed());
        if (!allocated.IsOk) return new SegmentDraft { Spec = spec, Errors = allocated.Errors };
        var record = new SegmentRecord(allocated.Value, current?.Applied, current?.Attempted);
        return Drafted(allocated.Value, SegmentService.Preview(record, OperationPlanner.NextApply(record), hosts.Infos(), hosts.Observed(), stored, hosts.Paths));
    }

    /// <summary>
    /// What applying the stored segment runs now: its pending changes, or all of it again, less what the hosts have; its
    /// MTU from the paths as last measured (the apply measures again once they are old).
    /// </summary>
    public static SegmentDraft PreviewStored(SegmentRecord record, IReadOnlyCollection<SegmentRecord> stored, KnownHosts hosts) =>
        Drafted(record.Desired, SegmentService.Preview(record, OperationPlanner.NextApply(record), hosts.Infos(), hosts.Observed(), stored, hosts.Paths));

    /// <summary>What tearing down the segment runs: what was applied and what an unfinished attempt may have left; nothing when neither.</summary>
    public static SegmentDraft PreviewTeardown(SegmentRecord record, IReadOnlyCollection<SegmentRecord> stored, KnownHosts hosts) =>
        Drafted(record.Applied ?? record.Attempted ?? record.Desired,
            SegmentService.Preview(record, OperationPlanner.Teardown(record), hosts.Infos(), hosts.Observed(), stored));

    /// <summary>What rotating the key of <paramref name="pair"/> runs: both ends' key files and a re-authentication.</summary>
    public static SegmentDraft PreviewKeyRotation(SegmentRecord record, IpsecPair pair, IReadOnlyCollection<SegmentRecord> stored, KnownHosts hosts)
    {
        var segment = record.Applied ?? record.Desired;
        var operation = OperationPlanner.RotateKey(record, pair.A, pair.B);
        return Drafted(segment, operation.Value is { } o
            ? SegmentService.Preview(record, o, hosts.Infos(), hosts.Observed(), stored)
            : Outcome<SegmentPreview>.Fail(operation.Errors));
    }

    private static SegmentDraft Drafted(Segment segment, Outcome<SegmentPreview> preview) => preview.Value is { } p
        ? new SegmentDraft { Spec = segment.Spec, Segment = segment, Plan = p.Plan, Fingerprint = p.Fingerprint }
        : new SegmentDraft { Spec = segment.Spec, Segment = segment, Errors = preview.Errors };
}
