using Superbridge.Core.Model;
using Superbridge.Web.Topology;

namespace Superbridge.Web.Tests.Topology;

public sealed class TunnelPathTests
{
    private static TopologyEdge Edge(string a, string b, double lane = 0) => new()
    {
        Id = $"s:{a}:{b}", Segment = "s", A = a, B = b, Transport = Transport.Gretap, Color = "#1e88e5", Label = "key 1", Lane = lane,
    };

    [Fact]
    public void A_lone_tunnel_is_a_straight_line_from_border_to_border_labelled_at_its_middle()
    {
        // Two 200x84 boxes side by side, 100 px apart: centres at (100, 42) and (400, 42).
        var path = TunnelPath.Between(Edge("h1", "h2"), (0, 0), (300, 0));

        Assert.Equal("M 200 42 L 300 42", path.Data);
        Assert.Equal((250, 42), (path.LabelX, path.LabelY));
    }

    [Fact]
    public void A_tunnel_leaves_a_box_through_its_top_or_bottom_when_the_other_host_is_below()
    {
        var path = TunnelPath.Between(Edge("h1", "h2"), (0, 0), (0, 300));

        Assert.Equal("M 100 84 L 100 300", path.Data);
    }

    [Fact]
    public void Parallel_tunnels_bow_to_opposite_sides_through_points_a_lane_apart_whichever_end_is_first()
    {
        var left = TunnelPath.Between(Edge("h1", "h2", lane: -0.5), (0, 0), (300, 0));
        var right = TunnelPath.Between(Edge("h2", "h1", lane: 0.5), (300, 0), (0, 0));

        Assert.StartsWith("M ", left.Data);
        Assert.Contains(" Q ", left.Data);
        // The label sits on the curve's middle: half a lane above and below the straight line between the centres.
        Assert.Equal((250, 42 - TunnelPath.LaneWidth / 2), (Math.Round(left.LabelX, 6), Math.Round(left.LabelY, 6)));
        Assert.Equal((250, 42 + TunnelPath.LaneWidth / 2), (Math.Round(right.LabelX, 6), Math.Round(right.LabelY, 6)));
    }
}
