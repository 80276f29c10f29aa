using System.Collections.Immutable;

namespace Superbridge.Web.Segments;

/// <summary><c>POST /api/segments</c>. Links default to a star from the first host (point-to-point transports).</summary>
public sealed record CreateSegmentRequest
{
    public string? Name { get; init; }
    public string? Bridge { get; init; }
    public string? Transport { get; init; }
    public ImmutableArray<string> HostIds { get; init; } = [];
    public ImmutableArray<ImmutableArray<string>>? Links { get; init; }
    public bool Stp { get; init; }
    public int? Mtu { get; init; }
    /// <summary><c>none</c> (default) or <c>ipsec</c>.</summary>
    public string? Encryption { get; init; }
    /// <summary>NICs that join the bridge, at most one without <see cref="Stp"/>.</summary>
    public ImmutableArray<UplinkRequest> Uplinks { get; init; } = [];
}

/// <summary><c>PUT /api/segments/{id}/encryption</c>.</summary>
public sealed record EncryptionRequest
{
    public string? Encryption { get; init; }
}

/// <summary><c>PUT /api/segments/{id}/router</c>: gateway mode by default, or <c>external</c> with a physical interface.</summary>
public sealed record RouterRequest
{
    public string? HostId { get; init; }
    public string? Mode { get; init; }
    public string? Gateway { get; init; }
    /// <summary><c>start-end</c>, e.g. <c>10.0.2.2-10.0.2.254</c>.</summary>
    public string? DhcpRange { get; init; }
    public string? LeaseTime { get; init; }
    public bool Nat { get; init; } = true;
    public string? NatOutInterface { get; init; }
    public bool Dns { get; init; } = true;
    public string? ExternalInterface { get; init; }
}

/// <summary><c>POST /api/segments/{id}/attachments</c>.</summary>
public sealed record AttachmentRequest
{
    public string? HostId { get; init; }
    public string? Container { get; init; }
}

/// <summary>An uplink NIC: in <c>POST /api/segments</c>'s <c>uplinks</c>, and <c>POST /api/segments/{id}/uplinks</c>.</summary>
public sealed record UplinkRequest
{
    public string? HostId { get; init; }
    public string? Interface { get; init; }
}
