namespace Superbridge.Web.Hosts;

/// <summary>
/// What <c>PATCH /api/hosts/{id}</c> and the host page's address dialog send: both addresses, each blank or null for
/// its default (the tunnel address from the route to the peers; the peer address = the SSH address).
/// </summary>
public sealed record HostAddressesRequest
{
    public string? TunnelAddress { get; init; }
    public string? PeerAddress { get; init; }
}
