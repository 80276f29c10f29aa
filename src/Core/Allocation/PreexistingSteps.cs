using System.Collections.Immutable;
using Superbridge.Core.Model;
using Superbridge.Core.Mtu;
using Superbridge.Core.Observed;
using Superbridge.Core.Planning;

namespace Superbridge.Core.Allocation;

/// <summary>
/// Records which setup steps a host already had done when it joined the segment, so teardown can
/// leave the host as it was rather than delete what the operator made. Only hosts new to the segment
/// are looked at: on the others, present steps are the segment's own work.
/// </summary>
internal static class PreexistingSteps
{
    private const string ForwardingStep = "sysctl:ip_forward";

    public static ImmutableArray<HostStep> Record(
        Segment segment, SegmentAllocation? previous, IReadOnlyDictionary<HostId, HostInfo> hosts, IReadOnlyDictionary<HostId, ObservedHost> observed)
    {
        var kept = segment.Allocation.Preexisting;
        var oldMembers = previous is null ? [] : previous.Links.SelectMany(l => new[] { l.A, l.B })
            .Concat(previous.VxlanDevices.Select(d => d.Host)).Append(previous.Router?.Host ?? default).ToHashSet();
        var result = kept.ToBuilder();
        var drafts = SetupStepBuilder.Build(segment, hosts, observed, SegmentMtu.Effective(segment.Spec, hosts));
        foreach (var (host, list) in drafts)
        {
            if (oldMembers.Contains(host) || !observed.TryGetValue(host, out var o)) continue;
            var index = new ObservedIndex(o);
            foreach (var draft in list)
            {
                // ip_forward is restored from its recorded value instead; it may be on because of another segment.
                if (draft.Step.Undo is null || draft.Step.Id == ForwardingStep || draft.Observe is null) continue;
                if (draft.Observe(index).Present) result.Add(new HostStep(host, draft.Step.Id));
            }
        }
        return result.ToImmutable();
    }
}
