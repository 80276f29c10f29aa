using Superbridge.Core.Model;
using Superbridge.Core.Observed;
using Superbridge.Core.Planning;

namespace Superbridge.Core.Validation;

/// <summary>
/// Transports a NAT cannot carry: gretap and L2TPv3 over IP are bare IP protocols, with no ports for a NAT to map. A
/// host is behind a NAT when its tunnel toward a peer binds another address than the one that peer sends to.
/// </summary>
internal static class NatRules
{
    public static void Check(SegmentSpec spec, IReadOnlyDictionary<HostId, HostInfo> hosts, IReadOnlyDictionary<HostId, ObservedHost>? observed,
        HashSet<HostId> valid, ErrorList errors)
    {
        if (spec.Transport is not (Transport.Gretap or Transport.L2tpv3Ip) || spec.Links.IsDefaultOrEmpty) return;
        var refused = new HashSet<HostId>();
        foreach (var link in spec.Links)
        {
            if (!valid.Contains(link.A) || !valid.Contains(link.B) || link.A == link.B) continue;
            foreach (var (end, peer) in new[] { (link.A, link.B), (link.B, link.A) })
            {
                var local = TunnelAddresses.Local(hosts[end], observed?.GetValueOrDefault(end), hosts[peer]);
                if (!TunnelAddresses.BehindNat(hosts[end], local) || !refused.Add(end)) continue;
                errors.Add("transport", ErrorCode.Unsupported,
                    $"host {end} is behind a NAT (its tunnels bind {local.Address}, peers send to {hosts[end].Address}): " +
                    $"{spec.Transport.ToWire()} has no ports for a NAT to map; use vxlan or l2tpv3-udp");
            }
        }
    }
}
