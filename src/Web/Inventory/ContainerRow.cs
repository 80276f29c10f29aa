using System.Collections.Immutable;

namespace Superbridge.Web.Inventory;

/// <summary>One container of the fleet as its host's last read saw it, each network with the segment its bridge belongs to.</summary>
public sealed record ContainerRow
{
    public required string HostId { get; init; }
    public required string HostName { get; init; }
    public required string Name { get; init; }
    /// <summary>RUNNING, STOPPED... as lxc-ls prints it.</summary>
    public required string State { get; init; }
    public ImmutableArray<string> Ipv4 { get; init; } = [];
    public bool Autostart { get; init; }
    public ImmutableArray<ContainerNic> Interfaces { get; init; } = [];
    /// <summary>Segments the container is attached to (by the dashboard).</summary>
    public ImmutableArray<string> AttachedTo { get; init; } = [];
}

/// <summary>A container network: its lxc.net index, name inside, the bridge it joins, and that bridge's segment on the host (if any).</summary>
public sealed record ContainerNic(int Index, string? Name, string? Bridge, string? Segment);
