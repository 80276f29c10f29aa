using Superbridge.Core.Model;

namespace Superbridge.Web.Topology;

/// <summary>
/// What the Create tunnel dialog holds: the two hosts a tunnel was drawn between, the segment it goes into (a new one,
/// or <see cref="ExistingSegment"/>) and any values the operator pinned in "Advanced" (null: let Core choose).
/// </summary>
public sealed record TunnelForm
{
    public required string HostA { get; init; }
    public required string HostB { get; init; }
    /// <summary>Null: a new segment named <see cref="Name"/>.</summary>
    public string? ExistingSegment { get; init; }
    public string Name { get; init; } = "";
    public string Bridge { get; init; } = "superbr0";
    /// <summary>Ignored for an existing segment (its transport stays).</summary>
    public Transport Transport { get; init; } = Transport.Vxlan;
    /// <summary>New segments only: IPsec on every tunnel (an existing segment keeps its own; change it on its page).</summary>
    public bool Encrypt { get; init; }
    /// <summary>Run STP on the bridges, which lets links form a cycle.</summary>
    public bool Stp { get; init; }
    /// <summary>
    /// New segments only: the member that serves DHCP; null is <see cref="HostA"/>, <see cref="NoRouter"/> is plain layer 2
    /// (a router can be added later on the segment's page).
    /// </summary>
    public string? RouterHost { get; init; }

    /// <summary>The <see cref="RouterHost"/> choice for no router; parentheses make it impossible as a host id.</summary>
    public const string NoRouter = "(none)";
    public TunnelPins Pins { get; init; } = new();
}

/// <summary>Values pinned by the operator; each null one is allocated by Core.</summary>
public sealed record TunnelPins
{
    public long? GreKey { get; init; }
    public long? TunnelId { get; init; }
    public long? PeerTunnelId { get; init; }
    public long? SessionId { get; init; }
    public long? PeerSessionId { get; init; }
    public int? SourcePort { get; init; }
    public int? DestinationPort { get; init; }
    public long? Vni { get; init; }
    public int? Mtu { get; init; }
}
