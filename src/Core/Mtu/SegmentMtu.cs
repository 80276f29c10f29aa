using Superbridge.Core.Model;
using Superbridge.Core.Validation;

namespace Superbridge.Core.Mtu;

/// <summary>
/// One MTU for the whole segment: a layer-2 domain must agree on it, so it is the smallest any
/// member's tunnels can carry. Bridges, tunnels and DHCP option 26 all get this figure.
/// </summary>
public static class SegmentMtu
{
    /// <param name="paths">Measured underlay paths; those of the segment's pairs lower the figure to the smallest path
    /// (a path nothing crossed counts at its interface MTU). Without them, each member's interface MTU is used.</param>
    public static int Maximum(SegmentSpec spec, IReadOnlyDictionary<HostId, HostInfo> hosts, IReadOnlyCollection<MeasuredPath>? paths = null)
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
        foreach (var path in Relevant(spec, hosts, paths))
            min = Math.Min(min, MtuCalculator.TunnelMtu(path.Effective, spec.Transport, path.Path.Family, cookieBytes, encryption: spec.Encryption));
        return min == int.MaxValue ? 1500 : min;
    }

    /// <summary>The operator's override when given (validated not to exceed <see cref="Maximum"/>), else the maximum.</summary>
    public static int Effective(SegmentSpec spec, IReadOnlyDictionary<HostId, HostInfo> hosts, IReadOnlyCollection<MeasuredPath>? paths = null) =>
        spec.Mtu ?? Maximum(spec, hosts, paths);

    /// <summary>The measurements of this segment's paths as they are now (a path whose addresses changed is not one of them).</summary>
    public static IReadOnlyList<MeasuredPath> Relevant(SegmentSpec spec, IReadOnlyDictionary<HostId, HostInfo> hosts, IReadOnlyCollection<MeasuredPath>? paths)
    {
        if (paths is null || paths.Count == 0) return [];
        var wanted = UnderlayPaths.Of(spec, hosts).ToHashSet();
        return [.. paths.Where(p => wanted.Contains(p.Path))];
    }
}
