using System.Collections.Immutable;
using Superbridge.Core.Model;
using Superbridge.Core.Planning.Steps;

namespace Superbridge.Core.Planning;

/// <summary>
/// Two hosts of an encrypted segment that share a key and a swanctl connection named <see cref="Name"/> (as
/// <see cref="IpsecSteps"/> names it): the ends of a point-to-point link, or two VXLAN members.
/// </summary>
public sealed record IpsecPair(HostId A, HostId B, string Name)
{
    /// <summary>Every pair of the segment: each link's two ends, or every two VXLAN members; empty when it is not encrypted.</summary>
    public static ImmutableArray<IpsecPair> Of(SegmentSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Encryption != Encryption.Ipsec) return [];
        var ends = spec.Transport == Transport.Vxlan
            ? spec.Members.SelectMany((a, i) => spec.Members.Skip(i + 1).Select(b => (a, b)))
            : spec.Links.Select(l => (a: l.A, b: l.B));
        return [.. ends.Select(e => new IpsecPair(e.a, e.b, IpsecSteps.Name(spec.Name, e.a, e.b)))];
    }

    /// <summary>The pair of these two hosts, in either order; null when they share no key.</summary>
    public static IpsecPair? Find(SegmentSpec spec, HostId first, HostId second) =>
        Of(spec).FirstOrDefault(p => (p.A == first && p.B == second) || (p.A == second && p.B == first));

    /// <summary>The connection's child SAs (VXLAN: one each way), as the planner writes them.</summary>
    public ImmutableArray<string> Children(Transport transport) => [.. IpsecSteps.Children(transport, Name).Select(c => c.Child)];
}
