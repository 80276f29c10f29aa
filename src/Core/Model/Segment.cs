using Superbridge.Core.Allocation;

namespace Superbridge.Core.Model;

/// <summary>A segment as stored: what was asked for plus the identifiers allocated for it.</summary>
public sealed record Segment(SegmentSpec Spec, SegmentAllocation Allocation);
