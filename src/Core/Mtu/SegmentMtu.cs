using Superbridge.Core.Model;
using Superbridge.Core.Validation;

namespace Superbridge.Core.Mtu;

/// <summary>
/// One MTU for the whole segment: a layer-2 domain must agree on it, so it is the smallest any
/// member's tunnels can carry. Bridges, tunnels and DHCP option 26 all get this figure.
/// </summary>
public static class SegmentMtu
{
    public static int Maximum(SegmentSpec spec, IReadOnlyDictionary<HostId, HostInfo> hosts)
    {
        var cookieBytes = spec.Links.IsDefaultOrEmpty ? 0
            : spec.Links.Max(l => Math.Max(MtuCalculator.CookieBytes(l.Cookie), MtuCalculator.CookieBytes(l.PeerCookie)));
        var min = int.MaxValue;
        foreach (var member in spec.Members.Distinct())
        {
            if (!hosts.TryGetValue(member, out var host)) continue;
            var mtu = MtuCalculator.TunnelMtu(host.UnderlayMtu, spec.Transport, SegmentValidator.Family(host), cookieBytes, encryption: spec.Encryption);
            min = Math.Min(min, mtu);
        }
        return min == int.MaxValue ? 1500 : min;
    }

    /// <summary>The operator's override when given (validated not to exceed <see cref="Maximum"/>), else the maximum.</summary>
    public static int Effective(SegmentSpec spec, IReadOnlyDictionary<HostId, HostInfo> hosts) =>
        spec.Mtu ?? Maximum(spec, hosts);
}
