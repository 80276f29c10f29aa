using System.Collections.Immutable;
using Superbridge.Core.Model;

namespace Superbridge.Core.Mtu;

/// <summary>
/// The underlay paths of a segment, both directions of each: every link of a point-to-point transport, every member
/// pair of VXLAN (its flood list reaches every peer).
/// </summary>
public static class UnderlayPaths
{
    public static ImmutableArray<UnderlayPath> Of(SegmentSpec spec, IReadOnlyDictionary<HostId, HostInfo> hosts)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var pairs = spec.Transport == Transport.Vxlan
            ? MemberPairs(spec)
            : spec.Links.IsDefaultOrEmpty ? [] : spec.Links.Select(l => (l.A, l.B));
        var paths = ImmutableArray.CreateBuilder<UnderlayPath>();
        foreach (var (a, b) in pairs.Distinct())
        {
            if (a == b || !hosts.TryGetValue(a, out var ha) || !hosts.TryGetValue(b, out var hb)) continue;
            paths.Add(Between(ha, hb));
            paths.Add(Between(hb, ha));
        }
        return [.. paths.Distinct()];
    }

    /// <summary>
    /// The one place the two addresses of a path are chosen: the host's configured tunnel address (else its peer
    /// address) to the peer's address, where its tunnel packets go (through a NAT in front of the peer, if any). The
    /// probe sends from whatever the host's route chooses, so the local address only names the path.
    /// </summary>
    public static UnderlayPath Between(HostInfo host, HostInfo peer) =>
        new(host.Id, peer.Id, host.TunnelAddress ?? host.Address, peer.Address, host.UnderlayMtu);

    private static IEnumerable<(HostId, HostId)> MemberPairs(SegmentSpec spec)
    {
        var members = spec.Members.IsDefaultOrEmpty ? [] : spec.Members.Distinct().ToList();
        for (var i = 0; i < members.Count; i++)
            for (var j = i + 1; j < members.Count; j++)
                yield return (members[i], members[j]);
    }
}
