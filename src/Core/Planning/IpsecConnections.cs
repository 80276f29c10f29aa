using System.Collections.Immutable;
using Superbridge.Core.Model;
using Superbridge.Core.Planning.Steps;

namespace Superbridge.Core.Planning;

/// <summary>One protected pair of an encrypted segment: its two hosts, the swanctl connection both write, and that connection's children.</summary>
public sealed record IpsecConnection(HostId A, HostId B, string Name, ImmutableArray<string> Children);

/// <summary>The connections the planner writes for a segment, for those that look for their SAs (named as <see cref="IpsecSteps"/> names them).</summary>
public static class IpsecConnections
{
    /// <summary>Each link's two ends; for VXLAN, every two members (each pair has its own connection). Empty without encryption.</summary>
    public static ImmutableArray<IpsecConnection> Of(SegmentSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Encryption != Encryption.Ipsec) return [];
        var pairs = spec.Transport == Transport.Vxlan
            ? spec.Members.SelectMany((a, i) => spec.Members.Skip(i + 1).Select(b => (A: a, B: b)))
            : spec.Links.Select(l => (l.A, l.B));
        return [.. pairs.Select(pair =>
        {
            var name = IpsecSteps.Name(spec.Name, pair.A, pair.B);
            return new IpsecConnection(pair.A, pair.B, name, [.. IpsecSteps.Children(spec.Transport, name).Select(c => c.Child)]);
        })];
    }
}
