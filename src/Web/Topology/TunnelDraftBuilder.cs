using Superbridge.Operations;
using System.Collections.Immutable;
using System.Globalization;
using Superbridge.Core.Model;
using Superbridge.Core.Validation;
using Superbridge.Web.Segments;

namespace Superbridge.Web.Topology;

/// <summary>
/// Turns a tunnel drawn between two hosts into the segment it changes: a new segment with the two hosts (and a DHCP
/// router on one, as Core requires), or an existing one with the link added (point-to-point) or the missing hosts
/// added to the mesh (VXLAN). Core allocates it on a scratch copy, so the dialog shows the real paired values.
/// </summary>
public static class TunnelDraftBuilder
{
    public static TunnelDraft Build(TunnelForm form, IReadOnlyList<SegmentRecord> segments, KnownHosts hosts)
    {
        var stored = segments.Select(s => s.Desired).ToList();
        var existing = form.ExistingSegment is { } name ? segments.FirstOrDefault(s => s.Id == name) : null;
        if (form.ExistingSegment is not null && existing is null)
            return Refused(form, Spec(form, stored), TunnelFields.Segment, $"segment {form.ExistingSegment} does not exist");
        if (existing is null && segments.Any(s => s.Id == form.Name))
            return Refused(form, Spec(form, stored), TunnelFields.Name,
                $"a segment named {form.Name} already exists; pick it under \"segment\" to extend it, or choose another name");
        if (form.HostA == form.HostB)
            return Refused(form, Spec(form, stored), TunnelFields.Segment, "a tunnel joins two different hosts");

        var (spec, linkIndex) = existing is null ? (Spec(form, stored), form.Transport.IsPointToPoint() ? 0 : (int?)null) : Extend(existing.Desired.Spec, form);
        if (existing is not null && spec.Transport == Transport.Vxlan
            && existing.Desired.Spec.Members.Contains(form.HostA) && existing.Desired.Spec.Members.Contains(form.HostB))
            return Refused(form, spec, TunnelFields.Segment,
                $"{form.HostA} and {form.HostB} are already in segment {existing.Id}; VXLAN reaches every member from every other");

        var draft = SegmentDraftPlanner.Preview(spec, existing, segments, hosts);
        return new TunnelDraft { Form = form, Draft = draft, LinkIndex = linkIndex, MaximumMtu = TunnelDraft.MaximumFor(draft, hosts) };
    }

    /// <summary>"lan1", "lan2", … : the first not taken by a stored segment.</summary>
    public static string SuggestName(IEnumerable<SegmentRecord> segments)
    {
        var taken = segments.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        for (var i = 1; ; i++)
        {
            var name = "lan" + i.ToString(CultureInfo.InvariantCulture);
            if (!taken.Contains(name)) return name;
        }
    }

    private static SegmentSpec Spec(TunnelForm form, IReadOnlyList<Segment> stored)
    {
        var defaults = RouterDefaults.NextFree(stored);
        var router = form.RouterHost is { Length: > 0 } r ? r : form.HostA;
        return new SegmentSpec
        {
            Name = form.Name,
            Bridge = form.Bridge,
            Transport = form.Transport,
            Members = [form.HostA, form.HostB],
            Links = form.Transport.IsPointToPoint() ? [Link(form, form.Transport)] : [],
            Stp = form.Stp,
            Encryption = form.Encrypt ? Encryption.Ipsec : Encryption.None,
            Vni = form.Transport == Transport.Vxlan ? form.Pins.Vni : null,
            Mtu = form.Pins.Mtu,
            Router = router == TunnelForm.NoRouter ? null : new RouterSpec
            {
                Host = router,
                Mode = RouterMode.Gateway,
                Gateway = defaults.Gateway,
                DhcpRange = new DhcpRange(defaults.RangeStart, defaults.RangeEnd),
                LeaseTime = defaults.LeaseTime,
                Nat = defaults.Nat,
            },
        };
    }

    private static (SegmentSpec Spec, int? LinkIndex) Extend(SegmentSpec spec, TunnelForm form)
    {
        var members = spec.Members;
        if (!members.Contains(form.HostA)) members = members.Add(form.HostA);
        if (!members.Contains(form.HostB)) members = members.Add(form.HostB);
        var changed = spec with
        {
            Members = members,
            Stp = spec.Stp || form.Stp,
            Mtu = form.Pins.Mtu ?? spec.Mtu,
            Vni = spec.Transport == Transport.Vxlan ? form.Pins.Vni ?? spec.Vni : null,
        };
        if (!spec.Transport.IsPointToPoint()) return (changed, null);
        return (changed with { Links = spec.Links.Add(Link(form, spec.Transport)) }, spec.Links.Length);
    }

    /// <summary>Only the pins that apply to <paramref name="transport"/>: values typed for another transport are dropped.</summary>
    private static LinkSpec Link(TunnelForm form, Transport transport)
    {
        var pins = form.Pins;
        var l2tp = transport.IsL2tp();
        var udp = transport == Transport.L2tpv3Udp;
        return new LinkSpec
        {
            A = form.HostA,
            B = form.HostB,
            GreKey = transport == Transport.Gretap ? pins.GreKey : null,
            TunnelId = l2tp ? pins.TunnelId : null,
            PeerTunnelId = l2tp ? pins.PeerTunnelId : null,
            SessionId = l2tp ? pins.SessionId : null,
            PeerSessionId = l2tp ? pins.PeerSessionId : null,
            SourcePort = udp ? pins.SourcePort : null,
            DestinationPort = udp ? pins.DestinationPort : null,
        };
    }

    private static TunnelDraft Refused(TunnelForm form, SegmentSpec spec, string field, string message) => new()
    {
        Form = form,
        Draft = new SegmentDraft { Spec = spec, Errors = [new ValidationError(field, ErrorCode.NotAllowed, message)] },
    };
}
