namespace Superbridge.Web.Topology;

/// <summary>Segment colours: distinct on light and dark backgrounds, assigned by the segment's place in name order.</summary>
public static class SegmentPalette
{
    public static IReadOnlyList<string> Colors { get; } =
        ["#1e88e5", "#43a047", "#fb8c00", "#8e24aa", "#e53935", "#00897b", "#6d4c41", "#3949ab", "#c0ca33", "#d81b60"];

    public static string For(int index) => Colors[((index % Colors.Count) + Colors.Count) % Colors.Count];
}
