namespace Superbridge.Core.Model;

/// <summary>
/// A tunnel wanted between members A and B. The optional values pin what would otherwise be
/// allocated; they are <c>long?</c>/<c>int?</c> so an out-of-range value from the API is reported,
/// not silently wrapped. "Local" values belong to A; the "Peer" values are B's (mirrored on B).
/// </summary>
public sealed record LinkSpec
{
    public required HostId A { get; init; }
    public required HostId B { get; init; }

    /// <summary>GRE key (gretap), 0..4294967295.</summary>
    public long? GreKey { get; init; }

    /// <summary>L2TP tunnel id on A (B's peer_tunnel_id), 1..4294967295.</summary>
    public long? TunnelId { get; init; }
    /// <summary>L2TP tunnel id on B (A's peer_tunnel_id).</summary>
    public long? PeerTunnelId { get; init; }
    public long? SessionId { get; init; }
    public long? PeerSessionId { get; init; }

    /// <summary>UDP port A sends from and B sends to (A's udp_sport, B's udp_dport).</summary>
    public int? SourcePort { get; init; }
    /// <summary>UDP port B sends from and A sends to (A's udp_dport, B's udp_sport).</summary>
    public int? DestinationPort { get; init; }

    /// <summary>Cookie A sends (8 or 16 hex digits); B's peer_cookie.</summary>
    public string? Cookie { get; init; }
    /// <summary>Cookie B sends; A's peer_cookie. Both cookies must have the same length.</summary>
    public string? PeerCookie { get; init; }
}
