using System.Collections.Immutable;
using Superbridge.Core.Model;
using Superbridge.Core.Planning.Steps;

namespace Superbridge.Core.Planning;

/// <summary>
/// Two hosts of an encrypted segment that share a key and a swanctl connection named <see cref="Name"/>: the ends of a
/// point-to-point link, or two VXLAN members.
/// </summary>
public sealed record IpsecPair(HostId A, HostId B, string Name)
{
    /// <summary>Every pair of the segment, in member order; empty when it is not encrypted.</summary>
    public static ImmutableArray<IpsecPair> Of(Segment segment)
    {
        ArgumentNullException.ThrowIfNull(segment);
        var spec = segment.Spec;
        if (spec.Encryption != Encryption.Ipsec) return [];
        var ends = spec.Transport == Transport.Vxlan
            ? spec.Members.SelectMany((a, i) => spec.Members.Skip(i + 1).Select(b => (a, b)))
            : segment.Allocation.Links.Select(l => (a: l.A, b: l.B));
        return [.. ends.Select(e => new IpsecPair(e.a, e.b, IpsecSteps.Name(spec.Name, e.a, e.b)))];
    }

    /// <summary>The pair of these two hosts, in either order; null when they share no key.</summary>
    public static IpsecPair? Find(Segment segment, HostId first, HostId second) =>
        Of(segment).FirstOrDefault(p => (p.A == first && p.B == second) || (p.A == second && p.B == first));
}
