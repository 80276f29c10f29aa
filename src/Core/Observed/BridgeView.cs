using System.Collections.Immutable;
using Superbridge.Core.Model;

namespace Superbridge.Core.Observed;

/// <summary>What a bridge port is, as far as the observed state can tell.</summary>
public enum BridgeMemberKind
{
    /// <summary>The host-side veth of a container (matched through lxc-info's "Link:").</summary>
    Container,
    /// <summary>A gretap, VXLAN or L2TPv3 device carrying the segment to other hosts.</summary>
    Tunnel,
    /// <summary>A device without a link kind: a NIC.</summary>
    Physical,
    /// <summary>Anything else: an unmatched veth, a dummy, a VLAN device...</summary>
    Other,
}

/// <summary>One port of a bridge, classified.</summary>
public sealed record BridgeMember
{
    public required string Device { get; init; }
    public required BridgeMemberKind Kind { get; init; }
    /// <summary>The link's info_kind ("veth", "vxlan", "gretap", "l2tp", "" for a NIC).</summary>
    public string LinkKind { get; init; } = "";
    public bool IsUp { get; init; }
    public string? PortState { get; init; }
    /// <summary>The container name, for <see cref="BridgeMemberKind.Container"/>.</summary>
    public string? Container { get; init; }
    /// <summary>
    /// Underlay addresses of the far ends, for <see cref="BridgeMemberKind.Tunnel"/>: the gretap remote, the L2TP
    /// tunnel's remote, or a VXLAN device's remote plus its head-end replication destinations (possibly several).
    /// </summary>
    public ImmutableArray<string> PeerAddresses { get; init; } = [];
    /// <summary>The hosts owning <see cref="PeerAddresses"/>, for the addresses the caller's map knows.</summary>
    public ImmutableArray<HostId> PeerHosts { get; init; } = [];
    /// <summary>The first peer address, for the common one-peer case.</summary>
    public string? PeerAddress => PeerAddresses.IsDefaultOrEmpty ? null : PeerAddresses[0];
}

/// <summary>A bridge and its classified ports, in <c>ip link</c> order.</summary>
public sealed record BridgeView
{
    public required string Name { get; init; }
    public bool IsUp { get; init; }
    public int Mtu { get; init; }
    public bool? StpEnabled { get; init; }
    public ImmutableArray<BridgeMember> Members { get; init; } = [];
}
