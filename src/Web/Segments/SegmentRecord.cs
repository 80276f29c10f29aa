using Superbridge.Core.Model;

namespace Superbridge.Web.Segments;

/// <summary>
/// A segment as the dashboard keeps it: what the operator wants now, and what was last applied to the
/// hosts. The difference is what the next apply changes (a moved router is torn down on the old host).
/// </summary>
public sealed record SegmentRecord(Segment Desired, Segment? Applied)
{
    public string Id => Desired.Spec.Name;

    public bool HasUnappliedChanges => Applied is null || !SegmentEquality.Same(Desired, Applied);
}
