using System.Collections.Immutable;
using Superbridge.Core.Allocation;
using Superbridge.Core.Model;

namespace Superbridge.Core.Validation;

/// <summary>
/// JSON can hand us <c>null</c> where a list was expected (a default <see cref="ImmutableArray{T}"/>)
/// or a null entry inside a list. Lists become empty here, and null entries are reported, so the
/// rules and the planner never meet either.
/// </summary>
internal static class InputNormalizer
{
    public static SegmentSpec Normalize(SegmentSpec spec) => spec with
    {
        Members = OrEmpty(spec.Members),
        Links = OrEmpty(spec.Links),
        Attachments = OrEmpty(spec.Attachments),
        Uplinks = OrEmpty(spec.Uplinks),
    };

    public static Segment Normalize(Segment segment) => new(
        Normalize(segment.Spec),
        segment.Allocation is null ? null! : segment.Allocation with
        {
            Links = OrEmpty(segment.Allocation.Links),
            VxlanDevices = OrEmpty(segment.Allocation.VxlanDevices),
            Attachments = OrEmpty(segment.Allocation.Attachments),
            Preexisting = OrEmpty(segment.Allocation.Preexisting),
        });

    /// <returns>Whether there were no null entries.</returns>
    public static bool CheckNoNulls(SegmentSpec spec, ErrorList errors)
    {
        var before = errors.Count;
        for (var i = 0; i < spec.Links.Length; i++) if (spec.Links[i] is null) errors.Add($"links[{i}]", ErrorCode.Required, "is null");
        for (var i = 0; i < spec.Attachments.Length; i++) if (spec.Attachments[i] is null) errors.Add($"attachments[{i}]", ErrorCode.Required, "is null");
        for (var i = 0; i < spec.Uplinks.Length; i++) if (spec.Uplinks[i] is null) errors.Add($"uplinks[{i}]", ErrorCode.Required, "is null");
        return errors.Count == before;
    }

    public static bool CheckNoNulls(SegmentAllocation allocation, ErrorList errors)
    {
        var before = errors.Count;
        for (var i = 0; i < allocation.Links.Length; i++) if (allocation.Links[i] is null) errors.Add($"allocation.links[{i}]", ErrorCode.Required, "is null");
        for (var i = 0; i < allocation.VxlanDevices.Length; i++) if (allocation.VxlanDevices[i] is null) errors.Add($"allocation.vxlanDevices[{i}]", ErrorCode.Required, "is null");
        for (var i = 0; i < allocation.Attachments.Length; i++) if (allocation.Attachments[i] is null) errors.Add($"allocation.attachments[{i}]", ErrorCode.Required, "is null");
        return errors.Count == before;
    }

    private static ImmutableArray<T> OrEmpty<T>(ImmutableArray<T> items) => items.IsDefault ? [] : items;
}
