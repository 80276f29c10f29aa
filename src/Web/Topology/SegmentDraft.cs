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
    public ImmutableArray<ValidationError> Errors { get; init; } = [];

    public bool IsValid => Errors.IsEmpty && Segment is not null && Plan is not null;

    /// <summary>Errors at exactly <paramref name="path"/> (Core's JSON-ish path, e.g. <c>links[0].tunnelId</c>).</summary>
    public IEnumerable<ValidationError> At(string path) => Errors.Where(e => e.Path == path);
}

/// <summary>Allocates and plans a wanted segment without storing anything and without touching a host.</summary>
public static class SegmentDraftPlanner
{
    /// <param name="current">The stored segment this spec replaces (null for a new one); its applied version is the starting point.</param>
    /// <param name="stored">Every stored segment (the allocator keeps this segment's previous identifiers and avoids the others').</param>
    public static SegmentDraft Preview(SegmentSpec spec, SegmentRecord? current, IEnumerable<Segment> stored, KnownHosts hosts)
    {
        var infos = hosts.Infos();
        var observed = hosts.Observed();
        var allocated = SegmentAllocator.Allocate(spec, infos, stored, observed);
        if (!allocated.IsOk) return new SegmentDraft { Spec = spec, Errors = allocated.Errors };
        var plan = current?.Applied is { } applied
            ? SegmentPlanner.PlanChange(applied, allocated.Value, infos, observed)
            : SegmentPlanner.Plan(allocated.Value, infos, observed);
        return Drafted(allocated.Value, plan);
    }

    /// <summary>
    /// What applying the stored segment runs now, planned exactly as <see cref="SegmentService.ApplyAsync"/> plans it
    /// (from what was applied when it changed since; all of it, less what the hosts have, otherwise).
    /// </summary>
    public static SegmentDraft PreviewStored(SegmentRecord record, KnownHosts hosts) =>
        Drafted(record.Desired, SegmentService.NextOperation(record).Plan(hosts.Infos(), hosts.Observed()));

    /// <summary>What tearing down the applied segment would run; a never-applied segment runs nothing.</summary>
    public static SegmentDraft PreviewTeardown(SegmentRecord record, KnownHosts hosts)
    {
        if (record.Applied is not { } applied)
            return new SegmentDraft
            {
                Spec = record.Desired.Spec,
                Segment = record.Desired,
                Plan = new SegmentPlan { Segment = record.Id, Mtu = 0, Hosts = [] },
            };
        return Drafted(applied, SegmentPlanner.PlanTeardown(applied, hosts.Infos(), hosts.Observed()));
    }

    private static SegmentDraft Drafted(Segment segment, Result<SegmentPlan> plan) => plan.IsOk
        ? new SegmentDraft { Spec = segment.Spec, Segment = segment, Plan = plan.Value }
        : new SegmentDraft { Spec = segment.Spec, Segment = segment, Errors = plan.Errors };
}
