using Superbridge.Web.Hosts;
using Superbridge.Web.Inventory;

namespace Superbridge.Web.Api;

/// <summary>
/// A host as the API shows it, never its secrets. <see cref="Persistence"/>: "systemd" (segments come back at boot),
/// "none" (runtime state only; <see cref="PersistenceReason"/> says why) or "unknown" (not inventoried yet).
/// <see cref="Ipsec"/>: whether encrypted segments can be applied here, strongSwan's version and whether its daemon runs.
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
    IpsecView Ipsec)
{
    public static HostResponse From(StoredHost host, HostStatus status)
    {
        var persistence = PersistenceView.Of(status.Observed);
        return new(host.Id, host.Name, host.Address, host.Port, host.Username, host.UseSudo, host.HostKeyFingerprint, status.StateName,
            persistence.Name, persistence.Reason, IpsecView.Of(status.Observed));
    }
}
