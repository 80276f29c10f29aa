using System.Collections.Immutable;
using Superbridge.Core.Model;
using Superbridge.Web.Inventory;

namespace Superbridge.Web.Topology;

/// <summary>What the Topology page draws: hosts at fixed positions, tunnels between them, and a legend per segment.</summary>
public sealed record TopologyGraph
{
    public required ImmutableArray<TopologyNode> Nodes { get; init; }
    public required ImmutableArray<TopologyEdge> Edges { get; init; }
    public required ImmutableArray<SegmentLegendEntry> Legend { get; init; }

    public static TopologyGraph Empty { get; } = new() { Nodes = [], Edges = [], Legend = [] };
}

/// <summary>A host on the canvas; <see cref="X"/>/<see cref="Y"/> come from the host's place in the list, so they never jump.</summary>
public sealed record TopologyNode
{
    public required string HostId { get; init; }
    public required string Name { get; init; }
    public required string Address { get; init; }
    public required HostState State { get; init; }
    public bool IsRefreshing { get; init; }
    public int Containers { get; init; }
    public required double X { get; init; }
    public required double Y { get; init; }
}

/// <summary>One tunnel (or one pair of a VXLAN mesh) of a segment, coloured like the segment.</summary>
public sealed record TopologyEdge
{
    public required string Id { get; init; }
    public required string Segment { get; init; }
    public required string A { get; init; }
    public required string B { get; init; }
    public required Transport Transport { get; init; }
    public required string Color { get; init; }
    /// <summary>The identifiers that pair the two ends, e.g. <c>key 7</c>, <c>tunnel 1↔2</c>, <c>VNI 42</c>.</summary>
    public required string Label { get; init; }
    /// <summary>Wanted but not applied yet.</summary>
    public bool Pending { get; init; }
    /// <summary>Sideways offset, in lanes, of this edge among the edges between the same two hosts (0 when it is alone).</summary>
    public double Lane { get; init; }
}

public sealed record SegmentLegendEntry
{
    public required string Segment { get; init; }
    public required Transport Transport { get; init; }
    public required string Color { get; init; }
    public required int Members { get; init; }
    public string? Router { get; init; }
    public bool Pending { get; init; }
}
