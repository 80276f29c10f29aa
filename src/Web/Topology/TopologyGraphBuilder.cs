using Superbridge.Operations;
using System.Collections.Immutable;
using Superbridge.Core.Allocation;
using Superbridge.Core.Model;
using Superbridge.Web.Segments;

namespace Superbridge.Web.Topology;

/// <summary>
/// Builds the Topology page's graph: stored hosts as nodes on a circle in list order (stable across refreshes),
/// each segment's point-to-point links, or every pair of a VXLAN segment's members, as edges in the segment's colour.
/// </summary>
public static class TopologyGraphBuilder
{
    public const double NodeWidth = 200;
    public const double NodeHeight = 84;
    private const double Margin = 40;

    public static TopologyGraph Build(KnownHosts hosts, IReadOnlyList<SegmentRecord> segments)
    {
        var positions = Layout(hosts.Hosts.Length);
        var nodes = hosts.Hosts.Select((h, i) =>
        {
            var status = hosts.Status(h.Id);
            return new TopologyNode
            {
                HostId = h.Id,
                Name = h.Name,
                Address = h.Address,
                State = status.State,
                IsRefreshing = status.IsRefreshing,
                Containers = status.Inventory?.Containers.Length ?? 0,
                X = positions[i].X,
                Y = positions[i].Y,
            };
        }).ToImmutableArray();

        var known = hosts.Hosts.Select(h => h.Id).ToHashSet(StringComparer.Ordinal);
        var edges = ImmutableArray.CreateBuilder<TopologyEdge>();
        var legend = ImmutableArray.CreateBuilder<SegmentLegendEntry>();
        var ordered = segments.OrderBy(s => s.Id, StringComparer.Ordinal).ToList();
        for (var i = 0; i < ordered.Count; i++)
        {
            var record = ordered[i];
            var color = SegmentPalette.For(i);
            var spec = record.Desired.Spec;
            var pending = record.HasUnappliedChanges;
            legend.Add(new SegmentLegendEntry
            {
                Segment = spec.Name,
                Transport = spec.Transport,
                Color = color,
                Members = spec.Members.Length,
                Router = spec.Router?.Host.Value,
                Pending = pending,
            });
            foreach (var (a, b, label) in Pairs(record.Desired))
            {
                if (!known.Contains(a) || !known.Contains(b)) continue;
                edges.Add(new TopologyEdge
                {
                    Id = $"{spec.Name}:{a}:{b}",
                    Segment = spec.Name,
                    A = a,
                    B = b,
                    Transport = spec.Transport,
                    Color = color,
                    Label = label,
                    Pending = pending,
                });
            }
        }
        return new TopologyGraph { Nodes = nodes, Edges = Lanes(edges.ToImmutable()), Legend = legend.ToImmutable() };
    }

    /// <summary>
    /// Spreads edges between the same two hosts side by side: lanes …, -0.5, 0.5, … around the straight line, measured
    /// to the left of the direction from the host whose id sorts first.
    /// </summary>
    private static ImmutableArray<TopologyEdge> Lanes(ImmutableArray<TopologyEdge> edges)
    {
        var byPair = edges.GroupBy(e => string.CompareOrdinal(e.A, e.B) < 0 ? (e.A, e.B) : (e.B, e.A)).ToDictionary(g => g.Key, g => g.ToList());
        return [.. edges.Select(e =>
        {
            var group = byPair[string.CompareOrdinal(e.A, e.B) < 0 ? (e.A, e.B) : (e.B, e.A)];
            return e with { Lane = group.IndexOf(e) - (group.Count - 1) / 2.0 };
        })];
    }

    /// <summary>
    /// The ids of the hosts whose name, id or address contains <paramref name="text"/> (any case), in canvas order, leaving
    /// out <paramref name="except"/>: what the tunnel pickers offer while the operator types.
    /// </summary>
    public static IEnumerable<string> MatchingHosts(TopologyGraph graph, string? text, string? except) =>
        graph.Nodes
            .Where(n => n.HostId != except)
            .Where(n => string.IsNullOrWhiteSpace(text) || new[] { n.Name, n.HostId, n.Address }.Any(v => v.Contains(text.Trim(), StringComparison.OrdinalIgnoreCase)))
            .Select(n => n.HostId)
            .ToList();

    /// <summary>Top-left corners of <paramref name="count"/> nodes on a circle, the first at the top, clockwise.</summary>
    public static ImmutableArray<(double X, double Y)> Layout(int count)
    {
        if (count == 0) return [];
        if (count == 1) return [(Margin, Margin)];
        // Far enough apart that neighbours on the circle never overlap.
        var radius = Math.Max(260, count * (NodeWidth + 40) / (2 * Math.PI));
        return [.. Enumerable.Range(0, count).Select(i =>
        {
            var angle = (count == 2 ? Math.PI : -Math.PI / 2) + 2 * Math.PI * i / count;
            // A flattened circle: screens are wider than tall.
            return (Math.Round(Margin + radius * (1 + Math.Cos(angle)), 1), Math.Round(Margin + radius * 0.6 * (1 + Math.Sin(angle)), 1));
        })];
    }

    private static IEnumerable<(string A, string B, string Label)> Pairs(Segment segment)
    {
        var spec = segment.Spec;
        if (spec.Transport == Transport.Vxlan)
        {
            var vni = segment.Allocation.Vni is { } v ? $"VNI {v}" : "VXLAN";
            for (var i = 0; i < spec.Members.Length; i++)
            for (var j = i + 1; j < spec.Members.Length; j++)
                yield return (spec.Members[i].Value, spec.Members[j].Value, vni);
            yield break;
        }
        for (var i = 0; i < spec.Links.Length; i++)
        {
            var link = spec.Links[i];
            var allocated = segment.Allocation.Links.Length == spec.Links.Length ? segment.Allocation.Links[i] : null;
            yield return (link.A.Value, link.B.Value, Label(spec.Transport, allocated));
        }
    }

    public static string Label(Transport transport, LinkAllocation? link) => (transport, link) switch
    {
        (_, null) => transport.ToWire(),
        (Transport.Gretap, { GreKey: { } key }) => $"key {key}",
        (Transport.L2tpv3Udp, { TunnelIdA: { } a, TunnelIdB: { } b, PortA: { } pa, PortB: { } pb }) => $"tunnel {a}↔{b} udp {pa}↔{pb}",
        (_, { TunnelIdA: { } a, TunnelIdB: { } b }) => $"tunnel {a}↔{b}",
        _ => transport.ToWire(),
    };
}
