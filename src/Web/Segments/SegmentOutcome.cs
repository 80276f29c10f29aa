using Superbridge.Web.Validation;

namespace Superbridge.Web.Segments;

/// <summary>The result of changing a segment: the stored record, or why not (nothing is stored then).</summary>
public sealed record SegmentOutcome(SegmentRecord? Segment, FieldErrors Errors, bool NotFound = false)
{
    public static SegmentOutcome Missing { get; } = new(null, new FieldErrors(), NotFound: true);

    public static SegmentOutcome Invalid(FieldErrors errors) => new(null, errors);
}
