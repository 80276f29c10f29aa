using System.Collections.Immutable;
using System.Net.Sockets;
using Superbridge.Core.Model;
using Superbridge.Core.Mtu;
using Superbridge.Core.Observed;

namespace Superbridge.Core.Validation;

/// <summary>
/// Checks every field of a <see cref="SegmentSpec"/> and the hosts it names before anything is
/// allocated or planned. Cross-segment conflicts (IDs, ports, subnets, bridges) are checked by the
/// allocator, which holds the other segments.
/// </summary>
public static class SegmentValidator
{
    public const long MaxL2tpId = uint.MaxValue;
    public const long MaxGreKey = uint.MaxValue;
    public const long MaxVni = 16_777_215;

    public static ImmutableArray<ValidationError> Validate(
        SegmentSpec spec,
        IReadOnlyDictionary<HostId, HostInfo> hosts,
        IReadOnlyDictionary<HostId, ObservedHost>? observed = null)
    {
        var errors = new ErrorList();
        Validate(InputNormalizer.Normalize(spec), hosts, observed, errors, forTeardown: false);
        return errors.ToImmutable();
    }

    internal static void Validate(
        SegmentSpec spec,
        IReadOnlyDictionary<HostId, HostInfo> hosts,
        IReadOnlyDictionary<HostId, ObservedHost>? observed,
        ErrorList errors,
        bool forTeardown)
    {
        if (!InputNormalizer.CheckNoNulls(spec, errors)) return;
        errors.Check("name", ErrorCode.InvalidName, NameRules.SegmentNameProblem(spec.Name));
        errors.Check("bridge", ErrorCode.InvalidName, NameRules.InterfaceProblem(spec.Bridge));
        var transportOk = errors.Check("transport", ErrorCode.Unsupported,
            Enum.IsDefined(spec.Transport) ? null : $"'{(int)spec.Transport}' is not one of gretap, l2tpv3-udp, l2tpv3-ip, vxlan");
        errors.Check("encryption", ErrorCode.Unsupported,
            Enum.IsDefined(spec.Encryption) ? null : $"'{(int)spec.Encryption}' is not one of none, ipsec");

        var (listed, members) = ValidateMembers(spec, hosts, observed, errors, transportOk);
        // The guard that drops tunnel packets that did not go through ESP is written for iptables (IPv4).
        if (spec.Encryption == Encryption.Ipsec)
            foreach (var v6 in members.Where(m => Family(hosts[m]) == AddressFamily.InterNetworkV6).Order())
                errors.Add("encryption", ErrorCode.Unsupported, $"ipsec needs IPv4 underlay addresses; {v6} has {hosts[v6].Address}");

        if (spec.Transport == Transport.Vxlan)
        {
            if (!spec.Links.IsDefaultOrEmpty)
                errors.Add("links", ErrorCode.NotAllowed, "vxlan reaches every member by head-end replication; give no links");
            if (spec.Vni is { } vni)
                errors.Check("vni", ErrorCode.OutOfRange, vni is < 1 or > MaxVni ? $"{vni} is outside 1..{MaxVni}" : null);
            var families = members.Select(m => Family(hosts[m])).Distinct().Count();
            if (families > 1) errors.Add("members", ErrorCode.Mismatch, "vxlan members must all have IPv4 or all IPv6 underlay addresses");
        }
        else
        {
            if (spec.Vni is not null) errors.Add("vni", ErrorCode.NotAllowed, "a VNI applies to vxlan segments only");
            ValidateLinks(spec, hosts, listed, members, errors);
            TopologyRules.Check(spec with { Links = [.. spec.Links.Where(l => listed.Contains(l.A) && listed.Contains(l.B))] }, errors);
        }

        RouterRules.Check(spec.Router, listed, errors);
        // Teardown removes what was applied, wherever the host's addresses have moved since.
        if (!forTeardown) NatRules.Check(spec, hosts, observed, members, errors);
        if (!forTeardown) CheckGatewayAgainstHost(spec, observed, errors);
        if (!forTeardown) FirewallRules.Check(spec, observed, errors);
        ValidateAttachments(spec, listed, members, hosts, observed, errors, forTeardown);
        UplinkRules.Check(spec, listed, errors);
        if (!forTeardown && errors.Count == 0) UplinkRules.Guard(spec, hosts, observed, errors);

        if (spec.Mtu is { } mtu && errors.Count == 0)
        {
            var max = SegmentMtu.Maximum(spec, hosts);
            errors.Check("mtu", ErrorCode.OutOfRange, mtu < MtuCalculator.MinimumSegmentMtu || mtu > max
                ? $"{mtu} is outside {MtuCalculator.MinimumSegmentMtu}..{max} (the most the underlays carry without fragmenting)" : null);
        }
    }

    /// <returns>Listed: members named correctly once (what links may refer to). Valid: those whose host record is also sound.</returns>
    private static (HashSet<HostId> Listed, HashSet<HostId> Valid) ValidateMembers(
        SegmentSpec spec, IReadOnlyDictionary<HostId, HostInfo> hosts, IReadOnlyDictionary<HostId, ObservedHost>? observed,
        ErrorList errors, bool transportOk)
    {
        var valid = new HashSet<HostId>();
        var listed = new HashSet<HostId>();
        if (spec.Members.IsDefaultOrEmpty)
        {
            errors.Add("members", ErrorCode.Required, "a segment needs at least one member host");
            return (listed, valid);
        }
        var seen = new HashSet<HostId>();
        for (var i = 0; i < spec.Members.Length; i++)
        {
            var id = spec.Members[i];
            var path = $"members[{i}]";
            if (!errors.Check(path, ErrorCode.InvalidName, NameRules.HostIdProblem(id.Value))) continue;
            if (!seen.Add(id)) { errors.Add(path, ErrorCode.Duplicate, $"host {id} is listed twice"); continue; }
            listed.Add(id);
            if (!hosts.TryGetValue(id, out var host) || host is null) { errors.Add(path, ErrorCode.UnknownHost, $"host {id} is not known"); continue; }
            if (!ValidateHost(host, id, errors)) continue;
            valid.Add(id);

            var features = observed is not null && observed.TryGetValue(id, out var o) ? o.Features : host.Features;
            if (features is not null && transportOk)
            {
                var lacking = Lacking(spec.Transport, Family(host), features);
                if (lacking is not null)
                    errors.Add(path, ErrorCode.Unsupported, $"host {id}'s kernel lacks {lacking} (needed for {spec.Transport.ToWire()})");
            }
            // Preflight for encryption, on observed hosts only (a plan without observation lets each step's check decide).
            if (spec.Encryption == Encryption.Ipsec && observed is not null && observed.TryGetValue(id, out var seenHost)
                && seenHost.Ipsec.Missing is { } missing)
                errors.Add("encryption", ErrorCode.Unsupported, $"host {id} cannot do IPsec: {missing}");
        }
        return (listed, valid);
    }

    /// <summary>Validates a host record; errors are under <c>hosts[id]</c>.</summary>
    internal static bool ValidateHost(HostInfo host, HostId key, ErrorList errors)
    {
        var before = errors.Count;
        var path = $"hosts[{key}]";
        if (host.Id != key) errors.Add($"{path}.id", ErrorCode.Mismatch, $"is '{IpAddressRules.Shorten(host.Id.Value)}' but the host is keyed '{key}'");
        errors.Check($"{path}.address", ErrorCode.InvalidAddress, IpAddressRules.EndpointProblem(host.Address));
        if (host.TunnelAddress is not null)
        {
            errors.Check($"{path}.tunnelAddress", ErrorCode.InvalidAddress, IpAddressRules.EndpointProblem(host.TunnelAddress));
            if (IpAddressRules.TryParse(host.TunnelAddress, out var tunnel) && IpAddressRules.TryParse(host.Address, out var peer)
                && tunnel.AddressFamily != peer.AddressFamily)
                errors.Add($"{path}.tunnelAddress", ErrorCode.Mismatch, $"{host.TunnelAddress} is not of the family of the address {host.Address}");
        }
        if (host.UnderlayDevice is not null)
            errors.Check($"{path}.underlayDevice", ErrorCode.InvalidName, NameRules.InterfaceProblem(host.UnderlayDevice));
        var minimum = IpAddressRules.TryParse(host.Address, out var ip) && ip.AddressFamily == AddressFamily.InterNetworkV6 ? 1280 : 576;
        errors.Check($"{path}.underlayMtu", ErrorCode.OutOfRange,
            host.UnderlayMtu is < 576 or > 65535 || host.UnderlayMtu < minimum ? $"{host.UnderlayMtu} is outside {minimum}..65535" : null);
        if (host.LxcPath is not null)
            errors.Check($"{path}.lxcPath", ErrorCode.InvalidFormat, NameRules.PathProblem(host.LxcPath));
        return errors.Count == before;
    }

    private static string? Lacking(Transport transport, AddressFamily family, KernelFeatures features)
    {
        if (!features.Bridge) return "bridge";
        return transport switch
        {
            Transport.Gretap when !features.Gretap => family == AddressFamily.InterNetworkV6 ? "ip6_gre" : "ip_gre",
            Transport.L2tpv3Udp when !features.L2tpv3 => "l2tp_eth",
            Transport.L2tpv3Ip when !features.L2tpv3 => "l2tp_eth",
            Transport.L2tpv3Ip when !features.L2tpIp => family == AddressFamily.InterNetworkV6 ? "l2tp_ip6" : "l2tp_ip",
            Transport.Vxlan when !features.Vxlan => "vxlan",
            _ => null,
        };
    }

    private static void ValidateLinks(SegmentSpec spec, IReadOnlyDictionary<HostId, HostInfo> hosts, HashSet<HostId> members, HashSet<HostId> valid, ErrorList errors)
    {
        if (spec.Links.IsDefaultOrEmpty) return;
        var pairs = new Dictionary<(HostId, HostId), int>();
        var tunnelIds = new Dictionary<(HostId, long), string>();
        var sessionIds = new Dictionary<(HostId, long), string>();
        var ports = new Dictionary<(HostId, int), string>();
        var greKeys = new Dictionary<(HostId, HostId, long), string>();

        for (var i = 0; i < spec.Links.Length; i++)
        {
            var link = spec.Links[i];
            var path = $"links[{i}]";
            var aOk = CheckEnd(link.A, $"{path}.a", members, errors);
            var bOk = CheckEnd(link.B, $"{path}.b", members, errors);
            if (aOk && bOk)
            {
                if (link.A == link.B) errors.Add(path, ErrorCode.NotAllowed, $"links {link.A} to itself");
                else
                {
                    var key = link.A.CompareTo(link.B) < 0 ? (link.A, link.B) : (link.B, link.A);
                    if (!pairs.TryAdd(key, i)) errors.Add(path, ErrorCode.Duplicate, $"{link.A} and {link.B} are already linked by links[{pairs[key]}]");
                    if (valid.Contains(link.A) && valid.Contains(link.B) && Family(hosts[link.A]) != Family(hosts[link.B]))
                        errors.Add(path, ErrorCode.Mismatch, $"{link.A} and {link.B} have underlay addresses of different families");
                }
            }

            var gre = spec.Transport == Transport.Gretap;
            var l2tp = spec.Transport.IsL2tp();
            var udp = spec.Transport == Transport.L2tpv3Udp;
            Pinned(errors, $"{path}.greKey", link.GreKey, gre, 0, MaxGreKey, "gretap");
            Pinned(errors, $"{path}.tunnelId", link.TunnelId, l2tp, 1, MaxL2tpId, "l2tpv3");
            Pinned(errors, $"{path}.peerTunnelId", link.PeerTunnelId, l2tp, 1, MaxL2tpId, "l2tpv3");
            Pinned(errors, $"{path}.sessionId", link.SessionId, l2tp, 1, MaxL2tpId, "l2tpv3");
            Pinned(errors, $"{path}.peerSessionId", link.PeerSessionId, l2tp, 1, MaxL2tpId, "l2tpv3");
            Pinned(errors, $"{path}.sourcePort", link.SourcePort, udp, 1, 65535, "l2tpv3-udp");
            Pinned(errors, $"{path}.destinationPort", link.DestinationPort, udp, 1, 65535, "l2tpv3-udp");
            PinnedCookie(errors, $"{path}.cookie", link.Cookie, l2tp);
            PinnedCookie(errors, $"{path}.peerCookie", link.PeerCookie, l2tp);

            // Duplicates among pinned values of this segment, per host.
            Unique(errors, tunnelIds, link.A, link.TunnelId, $"{path}.tunnelId", "tunnel id");
            Unique(errors, tunnelIds, link.B, link.PeerTunnelId, $"{path}.peerTunnelId", "tunnel id");
            Unique(errors, sessionIds, link.A, link.SessionId, $"{path}.sessionId", "session id");
            Unique(errors, sessionIds, link.B, link.PeerSessionId, $"{path}.peerSessionId", "session id");
            Unique(errors, ports, link.A, link.SourcePort, $"{path}.sourcePort", "UDP port");
            Unique(errors, ports, link.B, link.DestinationPort, $"{path}.destinationPort", "UDP port");
            if (link.GreKey is { } k)
            {
                var pair = link.A.CompareTo(link.B) < 0 ? (link.A, link.B, k) : (link.B, link.A, k);
                if (!greKeys.TryAdd(pair, $"{path}.greKey"))
                    errors.Add($"{path}.greKey", ErrorCode.Duplicate, $"GRE key {k} is already used between these hosts by {greKeys[pair]}");
            }
        }
    }

    private static bool CheckEnd(HostId end, string path, HashSet<HostId> members, ErrorList errors)
    {
        if (!errors.Check(path, ErrorCode.InvalidName, NameRules.HostIdProblem(end.Value))) return false;
        if (members.Contains(end)) return true;
        errors.Add(path, ErrorCode.NotMember, $"host {end} is not a (valid) member of the segment");
        return false;
    }

    private static void Pinned(ErrorList errors, string path, long? value, bool applies, long min, long max, string transport)
    {
        if (value is not { } v) return;
        if (!applies) errors.Add(path, ErrorCode.NotAllowed, $"applies to {transport} links only");
        else if (v < min || v > max) errors.Add(path, ErrorCode.OutOfRange, $"{v} is outside {min}..{max}");
    }

    private static void PinnedCookie(ErrorList errors, string path, string? cookie, bool applies)
    {
        if (cookie is null) return;
        if (!applies) errors.Add(path, ErrorCode.NotAllowed, "applies to l2tpv3 links only");
        else errors.Check(path, ErrorCode.InvalidFormat, NameRules.CookieProblem(cookie));
    }

    private static void Unique<T>(ErrorList errors, Dictionary<(HostId, T), string> seen, HostId host, T? value, string path, string what)
        where T : struct
    {
        if (value is not { } v) return;
        if (!seen.TryAdd((host, v), path))
            errors.Add(path, ErrorCode.Duplicate, $"{what} {v} is already used on {host} by {seen[(host, v)]}");
    }

    private static void ValidateAttachments(
        SegmentSpec spec, HashSet<HostId> members, HashSet<HostId> valid, IReadOnlyDictionary<HostId, HostInfo> hosts,
        IReadOnlyDictionary<HostId, ObservedHost>? observed, ErrorList errors, bool forTeardown)
    {
        if (spec.Attachments.IsDefaultOrEmpty) return;
        var seen = new HashSet<(HostId, string)>();
        for (var i = 0; i < spec.Attachments.Length; i++)
        {
            var attachment = spec.Attachments[i];
            var path = $"attachments[{i}]";
            var hostOk = CheckEnd(attachment.Host, $"{path}.host", members, errors) && valid.Contains(attachment.Host);
            if (!errors.Check($"{path}.container", ErrorCode.InvalidName, NameRules.ContainerProblem(attachment.Container)) || !hostOk) continue;
            if (!seen.Add((attachment.Host, attachment.Container)))
            {
                errors.Add(path, ErrorCode.Duplicate, $"{attachment.Container} on {attachment.Host} is attached twice");
                continue;
            }
            ObservedHost? host = null;
            if (observed is null || !observed.TryGetValue(attachment.Host, out host))
            {
                if (forTeardown) continue; // the planner asks for observed state only where it needs it
                errors.Add($"{path}.host", ErrorCode.Required,
                        $"host {attachment.Host} has not been observed; attaching needs the container's state and current lxc.net.0.link so it can be undone");
                continue;
            }
            if (forTeardown) continue; // a container deleted since attaching just has nothing to undo
            if (!host.Features.Lxc && hosts[attachment.Host].Features is not { Lxc: true })
                errors.Add($"{path}.host", ErrorCode.Unsupported, $"host {attachment.Host} has no LXC");
            var container = host.Containers.FirstOrDefault(c => c.Name == attachment.Container);
            if (container is null)
                errors.Add($"{path}.container", ErrorCode.NotFound, $"container {attachment.Container} does not exist on {attachment.Host}");
            else if (container.ConfiguredLink is not null && NameRules.InterfaceProblem(container.ConfiguredLink) is { } problem)
                errors.Add($"{path}.container", ErrorCode.InvalidName, $"its current lxc.net.0.link {problem}");
        }
    }

    /// <summary>A gateway subnet that overlaps an address the router host already has elsewhere would break its routing.</summary>
    private static void CheckGatewayAgainstHost(SegmentSpec spec, IReadOnlyDictionary<HostId, ObservedHost>? observed, ErrorList errors)
    {
        if (spec.Router is not { Mode: RouterMode.Gateway } router || observed is null || !observed.TryGetValue(router.Host, out var host)
            || !Ipv4Subnet.TryParse(router.Gateway, out var mine))
            return;
        foreach (var address in host.Addresses)
        {
            if (address.Device == spec.Bridge || !Ipv4Subnet.TryParse($"{address.Address}/{address.PrefixLength}", out var theirs)) continue;
            if (!mine.Overlaps(theirs)) continue;
            errors.Add("router.gateway", ErrorCode.Conflict,
                $"{mine.NetworkCidr} overlaps {theirs.NetworkCidr} on {address.Device} of {router.Host}");
            return;
        }
    }

    internal static AddressFamily Family(HostInfo host) =>
        IpAddressRules.TryParse(host.Address, out var ip) ? ip.AddressFamily : AddressFamily.Unknown;
}
