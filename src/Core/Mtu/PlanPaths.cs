using Superbridge.Core.Model;
using Superbridge.Core.Planning;

namespace Superbridge.Core.Mtu;

/// <summary>A plan's measured paths and what they warn of.</summary>
internal static class PlanPaths
{
    public static SegmentPlan WithPaths(this SegmentPlan plan, SegmentSpec spec, IReadOnlyDictionary<HostId, HostInfo> hosts,
        IReadOnlyCollection<MeasuredPath>? paths)
    {
        var relevant = SegmentMtu.Relevant(spec, hosts, paths);
        if (relevant.Count == 0) return plan;
        var warnings = relevant.Select(p => p.Warning).OfType<string>().ToList();
        var measured = SegmentMtu.Maximum(spec, hosts, relevant);
        if (spec.Mtu is { } chosen && chosen > measured)
            warnings.Add($"the MTU {chosen} set for the segment is above the {measured} its measured paths carry: larger frames are lost");
        return plan with { Paths = [.. relevant], Warnings = [.. warnings] };
    }
}
