using Superbridge.Core.Model;

namespace Superbridge.Core.Validation;

/// <summary>Conflicts between a segment and the other segments already stored.</summary>
internal static class CrossSegmentRules
{
    public static void Check(SegmentSpec spec, IReadOnlyList<Segment> others, ErrorList errors)
    {
        var members = spec.Members.ToHashSet();
        foreach (var other in others)
        {
            var shared = other.Spec.Members.Where(members.Contains).ToList();
            if (shared.Count > 0 && other.Spec.Bridge == spec.Bridge)
                errors.Add("bridge", ErrorCode.Conflict,
                    $"bridge {spec.Bridge} on {shared[0]} already belongs to segment {other.Spec.Name}");

            if (spec.Vni is { } vni && other.Allocation.Vni == vni)
                errors.Add("vni", ErrorCode.Conflict, $"VNI {vni} is already used by segment {other.Spec.Name}");

            if (spec.Router?.Gateway is { } gateway && other.Spec.Router?.Gateway is { } otherGateway
                && Ipv4Subnet.TryParse(gateway, out var mine) && Ipv4Subnet.TryParse(otherGateway, out var theirs)
                && mine.Overlaps(theirs))
                errors.Add("router.gateway", ErrorCode.Conflict,
                    $"{mine.NetworkCidr} overlaps {theirs.NetworkCidr} of segment {other.Spec.Name}");

            var bridgedThere = UplinkRules.Of(other.Spec).Select(n => (n.Host, n.Interface)).ToHashSet();
            foreach (var nic in UplinkRules.Of(spec).Where(n => bridgedThere.Contains((n.Host, n.Interface))))
                errors.Add(nic.Path, ErrorCode.Conflict, $"{nic.Interface} on {nic.Host} is already in segment {other.Spec.Name}");

            for (var i = 0; i < spec.Attachments.Length; i++)
            {
                var attachment = spec.Attachments[i];
                if (other.Spec.Attachments.Contains(attachment))
                    errors.Add($"attachments[{i}]", ErrorCode.Conflict,
                        $"{attachment.Container} on {attachment.Host} is already attached to segment {other.Spec.Name}");
            }
        }
    }
}
