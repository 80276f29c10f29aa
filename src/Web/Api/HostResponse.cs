using Superbridge.Web.Hosts;
using Superbridge.Web.Inventory;

namespace Superbridge.Web.Api;

/// <summary>
/// A host as the API shows it, never its secrets. <see cref="Persistence"/>: "systemd" (segments come back at boot),
/// "none" (runtime state only; <see cref="PersistenceReason"/> says why) or "unknown" (not inventoried yet).
/// <see cref="Ipsec"/>: whether encrypted segments can be applied here, strongSwan's version and whether its daemon runs.
/// <see cref="TunnelAddress"/> and <see cref="PeerAddress"/> as configured (null: the default); <see cref="Addresses"/>
/// the ones in use and why, and whether the SSH address is on the host.
/// </summary>
public sealed record HostResponse(
    string Id,
    string Name,
    string Address,
    int Port,
    string Username,
    bool UseSudo,
    string HostKeyFingerprint,
    string Status,
    string Persistence,
    string PersistenceReason,
    IpsecView Ipsec,
    string? TunnelAddress,
    string? PeerAddress,
    HostAddressFacts Addresses)
{
    /// <param name="all">Every stored host: the tunnel address shown is the one toward the first other host.</param>
    public static HostResponse From(StoredHost host, HostStatus status, IEnumerable<StoredHost> all)
    {
        var persistence = PersistenceView.Of(status.Observed);
        return new(host.Id, host.Name, host.Address, host.Port, host.Username, host.UseSudo, host.HostKeyFingerprint, status.StateName,
            persistence.Name, persistence.Reason, IpsecView.Of(status.Observed), host.TunnelAddress, host.PeerAddress,
            HostAddressFacts.Of(host, status.Observed, all));
    }
}
