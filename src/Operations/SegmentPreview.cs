using Superbridge.Core.Planning;

namespace Superbridge.Operations;

/// <summary>What the next operation on a segment would run now, and the fingerprint an apply sends to run exactly that.</summary>
public sealed record SegmentPreview(SegmentRecord Record, SegmentOperation? Operation, SegmentPlan Plan, string Fingerprint);
