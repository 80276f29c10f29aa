using Superbridge.Core.Model;
using Superbridge.Core.Observed;

namespace Superbridge.Core.Planning;

/// <summary>Why a tunnel binds the address it does.</summary>
public enum TunnelAddressSource
{
    /// <summary>The operator set the host's tunnel address.</summary>
    Configured,
    /// <summary>The host's main table routes the peer via <see cref="TunnelAddress.Device"/>, from this address.</summary>
    Route,
    /// <summary>Nothing better known: the address peers send to (no observed route, or its device has no address).</summary>
    PeerAddress,
}

/// <summary>The local address of a host's tunnel toward one peer, where it came from, and the device of the route (if any).</summary>
public sealed record TunnelAddress(string Address, TunnelAddressSource Source, string? Device);

/// <summary>
/// The one place that decides a tunnel's <c>local</c> (own end) and <c>remote</c> (the peer's <see cref="HostInfo.Address"/>).
/// A host whose local differs from the address its peers send to sits behind a NAT.
/// </summary>
public static class TunnelAddresses
{
    /// <summary>
    /// The configured tunnel address; else the source of the observed route toward <paramref name="peer"/>'s address,
    /// preferring the host's own peer address when that is on the route's device (a host with several addresses there
    /// binds the one its peers know); else the peer address.
    /// </summary>
    public static TunnelAddress Local(HostInfo host, ObservedHost? observed, HostInfo peer)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(peer);
        return Local(host, observed, peer.Address);
    }

    /// <inheritdoc cref="Local(HostInfo, ObservedHost?, HostInfo)"/>
    public static TunnelAddress Local(HostInfo host, ObservedHost? observed, string peerAddress)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (!string.IsNullOrWhiteSpace(host.TunnelAddress))
            return new TunnelAddress(ObservedIndex.Canonical(host.TunnelAddress.Trim()), TunnelAddressSource.Configured, null);
        var own = ObservedIndex.Canonical(host.Address);
        if (observed is not null && RouteLookup.Toward(observed, peerAddress) is { } route)
        {
            if (observed.Addresses.Any(a => a.Device == route.Device && ObservedIndex.Canonical(a.Address) == own))
                return new TunnelAddress(own, TunnelAddressSource.Route, route.Device);
            if (route.Source is { } source) return new TunnelAddress(ObservedIndex.Canonical(source), TunnelAddressSource.Route, route.Device);
        }
        return new TunnelAddress(own, TunnelAddressSource.PeerAddress, null);
    }

    /// <summary>A host is behind a NAT when its tunnel binds another address than the one its peers send to.</summary>
    public static bool BehindNat(HostInfo host, TunnelAddress local)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(local);
        return local.Address != ObservedIndex.Canonical(host.Address);
    }

    /// <summary>Whether the host's SSH/peer address is one of its own (false: a NAT or port forward stands in front of it).</summary>
    public static bool IsOnHost(ObservedHost observed, string address)
    {
        ArgumentNullException.ThrowIfNull(observed);
        var wanted = ObservedIndex.Canonical(address.Trim());
        return observed.Addresses.Any(a => ObservedIndex.Canonical(a.Address) == wanted);
    }
}
