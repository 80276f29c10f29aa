using System.Globalization;

namespace Superbridge.Web.Topology;

/// <summary>
/// Where a tunnel is drawn between two host boxes of the topology canvas: an SVG path from border to border (straight,
/// or for a parallel tunnel a quadratic curve bowed sideways by its lane) and the point its label is centred on.
/// Computed from the boxes' positions and their fixed size alone, so tunnels are drawn in the canvas' first render
/// instead of after the browser has reported every node's size.
/// </summary>
public sealed record TunnelPath(string Data, double LabelX, double LabelY)
{
    /// <summary>How far apart, in pixels, the middles of neighbouring parallel tunnels are.</summary>
    public const double LaneWidth = 44;

    /// <param name="a">Top-left corner of the box of the edge's host A.</param>
    /// <param name="b">Top-left corner of the box of host B.</param>
    /// <param name="lane">The edge's <see cref="TopologyEdge.Lane"/>, measured to the left of the direction from the host
    /// whose id sorts first, so the same tunnel bows the same way whichever end is A.</param>
    public static TunnelPath Between(TopologyEdge edge, (double X, double Y) a, (double X, double Y) b)
    {
        const double halfWidth = TopologyGraphBuilder.NodeWidth / 2, halfHeight = TopologyGraphBuilder.NodeHeight / 2;
        var from = (X: a.X + halfWidth, Y: a.Y + halfHeight);
        var to = (X: b.X + halfWidth, Y: b.Y + halfHeight);
        if (edge.Lane == 0)
        {
            var (lineStart, lineEnd) = (Border(from, to, halfWidth, halfHeight), Border(to, from, halfWidth, halfHeight));
            return new TunnelPath(
                $"M {N(lineStart.X)} {N(lineStart.Y)} L {N(lineEnd.X)} {N(lineEnd.Y)}", (lineStart.X + lineEnd.X) / 2, (lineStart.Y + lineEnd.Y) / 2);
        }

        var (first, second) = string.CompareOrdinal(edge.A, edge.B) <= 0 ? (from, to) : (to, from);
        var (dx, dy) = (second.X - first.X, second.Y - first.Y);
        var length = Math.Max(1, Math.Sqrt(dx * dx + dy * dy));
        var middle = (X: (from.X + to.X) / 2 - dy / length * edge.Lane * LaneWidth, Y: (from.Y + to.Y) / 2 + dx / length * edge.Lane * LaneWidth);
        var start = Border(from, middle, halfWidth, halfHeight);
        var end = Border(to, middle, halfWidth, halfHeight);
        // The control point that makes the curve pass through the bowed middle at its half-way point, where the label goes.
        var control = (X: 2 * middle.X - (start.X + end.X) / 2, Y: 2 * middle.Y - (start.Y + end.Y) / 2);
        return new TunnelPath($"M {N(start.X)} {N(start.Y)} Q {N(control.X)} {N(control.Y)} {N(end.X)} {N(end.Y)}", middle.X, middle.Y);
    }

    /// <summary>Where the ray from a box's centre towards <paramref name="toward"/> leaves the box (the centre when inside).</summary>
    private static (double X, double Y) Border((double X, double Y) centre, (double X, double Y) toward, double halfWidth, double halfHeight)
    {
        var (dx, dy) = (toward.X - centre.X, toward.Y - centre.Y);
        var scale = Math.Min(dx == 0 ? double.PositiveInfinity : halfWidth / Math.Abs(dx), dy == 0 ? double.PositiveInfinity : halfHeight / Math.Abs(dy));
        return scale >= 1 ? centre : (centre.X + dx * scale, centre.Y + dy * scale);
    }

    private static string N(double value) => Math.Round(value, 1).ToString(CultureInfo.InvariantCulture);
}
