using Superbridge.Core.Allocation;
using Superbridge.Core.Model;

namespace Superbridge.Core.Validation;

/// <summary>
/// A stored allocation is input too (it comes back from the database): it must belong to the spec,
/// carry every value the transport needs, and hold only values that are safe to put in an argv.
/// Errors are under <c>allocation.</c>.
/// </summary>
internal static class AllocationValidator
{
    public static void Check(Segment segment, ErrorList errors)
    {
        var spec = segment.Spec;
        var allocation = segment.Allocation;
        if (allocation is null) { errors.Add("allocation", ErrorCode.Required, "the segment has no allocation; run the allocator"); return; }
        if (allocation.Segment != spec.Name)
            errors.Add("allocation.segment", ErrorCode.Mismatch, $"belongs to segment '{IpAddressRules.Shorten(allocation.Segment)}'");

        if (spec.Router is { } router && (allocation.Router is null || allocation.Router.Host != router.Host))
            errors.Add("allocation.router", ErrorCode.Mismatch, "does not match the spec's router; re-run the allocator");
        else if (allocation.Router?.PreviousIpv4Forward is { } forward && forward is not ("0" or "1"))
            errors.Add("allocation.router.previousIpv4Forward", ErrorCode.InvalidFormat, "must be 0 or 1");

        var names = new HashSet<(HostId, string)>();
        void Device(string path, HostId host, string? name)
        {
            if (!errors.Check(path, ErrorCode.InvalidName, NameRules.InterfaceProblem(name))) return;
            if (name == spec.Bridge || !names.Add((host, name!)))
                errors.Add(path, ErrorCode.Duplicate, $"device {name} is used twice on {host}");
        }

        if (spec.Transport == Transport.Vxlan)
        {
            if (allocation.Vni is not { } vni || vni is < 1 or > (uint)SegmentValidator.MaxVni)
                errors.Add("allocation.vni", ErrorCode.OutOfRange, "must be 1..16777215");
            else if (spec.Vni is { } pinned && pinned != vni)
                errors.Add("allocation.vni", ErrorCode.Mismatch, $"is {vni} but the spec pins {pinned}; re-run the allocator");
            var byHost = (allocation.VxlanDevices.IsDefault ? [] : allocation.VxlanDevices).ToLookup(d => d.Host);
            foreach (var member in spec.Members)
            {
                var devices = byHost[member].ToList();
                if (devices.Count != 1) { errors.Add("allocation.vxlanDevices", ErrorCode.Mismatch, $"needs exactly one device for {member}; re-run the allocator"); continue; }
                Device($"allocation.vxlanDevices[{member}]", member, devices[0].Device);
            }
            return;
        }

        if (allocation.Links.IsDefault || allocation.Links.Length != spec.Links.Length)
        {
            errors.Add("allocation.links", ErrorCode.Mismatch, "does not match the spec's links; re-run the allocator");
            return;
        }
        for (var i = 0; i < spec.Links.Length; i++)
        {
            var want = spec.Links[i];
            var have = allocation.Links[i];
            var path = $"allocation.links[{i}]";
            if (have.A != want.A || have.B != want.B)
            {
                errors.Add(path, ErrorCode.Mismatch, "does not match the spec's link; re-run the allocator");
                continue;
            }
            Device($"{path}.deviceA", have.A, have.DeviceA);
            Device($"{path}.deviceB", have.B, have.DeviceB);
            if (spec.Transport == Transport.Gretap)
            {
                if (have.GreKey is null) errors.Add($"{path}.greKey", ErrorCode.Required, "is missing");
                else if (want.GreKey is { } k && k != have.GreKey) errors.Add($"{path}.greKey", ErrorCode.Mismatch, "differs from the spec; re-run the allocator");
                continue;
            }
            Id(errors, $"{path}.tunnelIdA", have.TunnelIdA, want.TunnelId);
            Id(errors, $"{path}.tunnelIdB", have.TunnelIdB, want.PeerTunnelId);
            Id(errors, $"{path}.sessionIdA", have.SessionIdA, want.SessionId);
            Id(errors, $"{path}.sessionIdB", have.SessionIdB, want.PeerSessionId);
            if (have.CookieA is not null) errors.Check($"{path}.cookieA", ErrorCode.InvalidFormat, NameRules.CookieProblem(have.CookieA));
            if (have.CookieB is not null) errors.Check($"{path}.cookieB", ErrorCode.InvalidFormat, NameRules.CookieProblem(have.CookieB));
            if (!string.Equals(have.CookieA, want.Cookie, StringComparison.OrdinalIgnoreCase) || !string.Equals(have.CookieB, want.PeerCookie, StringComparison.OrdinalIgnoreCase))
                errors.Add($"{path}.cookieA", ErrorCode.Mismatch, "cookies differ from the spec; re-run the allocator");
            if (spec.Transport == Transport.L2tpv3Udp)
            {
                Port(errors, $"{path}.portA", have.PortA, want.SourcePort);
                Port(errors, $"{path}.portB", have.PortB, want.DestinationPort);
            }
        }

    }

    public static void CheckAttachments(Segment segment, ErrorList errors)
    {
        var spec = segment.Spec;
        var attachments = segment.Allocation.Attachments.IsDefault ? [] : segment.Allocation.Attachments;
        if (attachments.Length != spec.Attachments.Length)
        {
            errors.Add("allocation.attachments", ErrorCode.Mismatch, "do not match the spec's attachments; re-run the allocator");
            return;
        }
        for (var i = 0; i < attachments.Length; i++)
        {
            var have = attachments[i];
            var want = spec.Attachments[i];
            if (have.Host != want.Host || have.Container != want.Container)
                errors.Add($"allocation.attachments[{i}]", ErrorCode.Mismatch, "does not match the spec's attachment; re-run the allocator");
            else
                if (have.PreviousLink is not null)
                    errors.Check($"allocation.attachments[{i}].previousLink", ErrorCode.InvalidName, NameRules.InterfaceProblem(have.PreviousLink));
        }
    }

    private static void Id(ErrorList errors, string path, uint? have, long? pinned)
    {
        if (have is not { } v || v == 0) errors.Add(path, ErrorCode.OutOfRange, "must be 1..4294967295");
        else if (pinned is { } p && p != v) errors.Add(path, ErrorCode.Mismatch, $"is {v} but the spec pins {p}; re-run the allocator");
    }

    private static void Port(ErrorList errors, string path, int? have, int? pinned)
    {
        if (have is not { } v || v is < 1 or > 65535) errors.Add(path, ErrorCode.OutOfRange, "must be 1..65535");
        else if (pinned is { } p && p != v) errors.Add(path, ErrorCode.Mismatch, $"is {v} but the spec pins {p}; re-run the allocator");
    }
}
