using Superbridge.Core.Model;
using Superbridge.Core.Observed;
using Superbridge.Core.Planning;
using Superbridge.Web.Hosts;

namespace Superbridge.Web.Inventory;

/// <summary>
/// Which addresses the dashboard uses for a host and why, as the API and host page report them.
/// <see cref="SshAddressOnHost"/>: null until inventoried; false means a NAT or port forward stands in front of it.
/// <see cref="TunnelAddressReason"/> is "configured", "from the route to ADDRESS via DEV" (toward the first other host)
/// or "the peer address"; <see cref="PeerAddressReason"/> "configured" or "the SSH address".
/// </summary>
public sealed record HostAddressFacts(
    string SshAddress,
    bool? SshAddressOnHost,
    string? ConfiguredTunnelAddress,
    string? ConfiguredPeerAddress,
    string TunnelAddress,
    string TunnelAddressReason,
    string PeerAddress,
    string PeerAddressReason,
    bool BehindNat)
{
    /// <param name="others">The other stored hosts: the tunnel address is the one toward the first of them (by name).</param>
    public static HostAddressFacts Of(StoredHost host, ObservedHost? observed, IEnumerable<StoredHost> others)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(others);
        var info = new HostInfo { Id = host.Id, Address = host.EffectivePeerAddress, TunnelAddress = host.TunnelAddress };
        var peer = others.Where(o => o.Id != host.Id).OrderBy(o => o.Name, StringComparer.Ordinal).FirstOrDefault()?.EffectivePeerAddress;
        var local = peer is null ? TunnelAddresses.Local(info, null, info.Address) : TunnelAddresses.Local(info, observed, peer);
        var reason = local.Source switch
        {
            TunnelAddressSource.Configured => "configured",
            TunnelAddressSource.Route => $"from the route to {peer} via {local.Device}",
            _ => peer is null ? "the peer address (no other host to route to yet)" : "the peer address (no route observed)",
        };
        return new HostAddressFacts(
            host.Address,
            observed is null ? null : TunnelAddresses.IsOnHost(observed, host.Address),
            host.TunnelAddress,
            host.PeerAddress,
            local.Address,
            reason,
            host.EffectivePeerAddress,
            host.PeerAddress is null ? "the SSH address" : "configured",
            TunnelAddresses.BehindNat(info, local));
    }
}
