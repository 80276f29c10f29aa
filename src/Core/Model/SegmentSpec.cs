using System.Collections.Immutable;

namespace Superbridge.Core.Model;

/// <summary>What the operator wants: one layer-2 network stretched across member hosts.</summary>
public sealed record SegmentSpec
{
    /// <summary>Short lowercase name ([a-z0-9-], ≤32); its start appears in device names.</summary>
    public required string Name { get; init; }
    public string Bridge { get; init; } = "superbr0";
    public required Transport Transport { get; init; }
    public ImmutableArray<HostId> Members { get; init; } = [];
    /// <summary>Tunnels for point-to-point transports. Empty for VXLAN (every member reaches every other).</summary>
    public ImmutableArray<LinkSpec> Links { get; init; } = [];
    public RouterSpec? Router { get; init; }
    public ImmutableArray<AttachmentSpec> Attachments { get; init; } = [];
    /// <summary>Physical NICs joined to the bridge, at most one per segment without STP (two on one LAN make a loop).</summary>
    public ImmutableArray<UplinkSpec> Uplinks { get; init; } = [];
    /// <summary>Enable STP on the bridges; allows cycles among point-to-point links.</summary>
    public bool Stp { get; init; }
    /// <summary>Pinned VXLAN VNI, 1..16777215; null lets the allocator choose.</summary>
    public long? Vni { get; init; }
    /// <summary>Segment MTU override; must not exceed what the transports allow. Null: the computed maximum.</summary>
    public int? Mtu { get; init; }
    /// <summary>Whether every link's tunnel packets are protected by IPsec (ESP, transport mode).</summary>
    public Encryption Encryption { get; init; } = Encryption.None;
}
