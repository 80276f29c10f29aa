using System.Collections.Immutable;
using Superbridge.Core.Model;
using Superbridge.Core.Observed;
using Superbridge.Core.Planning;
using Superbridge.Web.Topology;

namespace Superbridge.Web.Ipsec;

/// <summary>
/// An encrypted segment's pairs with what each end's last inventory read of their SAs: the pairs and connection names
/// the planner writes (<see cref="IpsecPair"/>), matched against <see cref="ObservedHost.IpsecSas"/>. Reads only what is
/// already observed: nothing talks to a host.
/// </summary>
public static class LinkSaBuilder
{
    /// <summary>Null for a segment without encryption.</summary>
    public static ImmutableArray<LinkSa>? Build(SegmentSpec spec, KnownHosts hosts) => spec.Encryption != Encryption.Ipsec ? null
        : [.. IpsecPair.Of(spec).Select(p => new LinkSa(p.A.Value, p.B.Value, p.Name,
            End(p.A.Value, p.Name, p.Children(spec.Transport), hosts), End(p.B.Value, p.Name, p.Children(spec.Transport), hosts)))];

    private static LinkSaEnd End(string host, string connection, ImmutableArray<string> children, KnownHosts hosts)
    {
        var status = hosts.Status(host);
        if (status is not { Observed: { } observed, ObservedAt: { } readAt }) return LinkSaEnd.Unknown(host);

        var ikes = observed.IpsecSas.Where(s => s.Name == connection).ToList();
        // Two IKE SAs of one connection exist while one replaces the other: the newest established one counts.
        var ike = ikes.Where(s => s.IsEstablished).MinBy(s => s.EstablishedSecondsAgo) ?? ikes.FirstOrDefault();
        var childSas = ikes.SelectMany(s => s.Children).Where(c => children.Contains(c.Name)).ToList();
        var established = ike is { IsEstablished: true } && children.All(name => childSas.Any(c => c.Name == name && c.IsInstalled));
        long? nextRekey = ike is { IsEstablished: true }
            ? new[] { ike.RekeyInSeconds, ike.ReauthInSeconds }.Concat(childSas.Where(c => c.IsInstalled).Select(c => c.RekeyInSeconds)).Min()
            : null;
        return new LinkSaEnd(
            host,
            established ? "established" : "not-established",
            established,
            ike?.State,
            ike?.EstablishedSecondsAgo is { } ago ? readAt - TimeSpan.FromSeconds(ago) : null,
            nextRekey is { } rekey ? readAt + TimeSpan.FromSeconds(rekey) : null,
            childSas.Sum(c => c.In?.Bytes ?? 0),
            childSas.Sum(c => c.In?.Packets ?? 0),
            childSas.Sum(c => c.Out?.Bytes ?? 0),
            childSas.Sum(c => c.Out?.Packets ?? 0),
            readAt);
    }
}
