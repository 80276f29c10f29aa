using Superbridge.Core.Model;
using Superbridge.Web.Hosts;

namespace Superbridge.Web.Inventory;

/// <summary>
/// What the planner knows of a host, built in this one place for previews and operations alike: what the operator
/// stored wins over what the host's latest inventory says (underlay device and MTU, lxcpath, kernel features). Address
/// is what peers send to; an unset tunnel address is resolved by the planner from the observed routes.
/// </summary>
public static class PlannerHostInfo
{
    public static HostInfo From(StoredHost host, HostStatus status)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(status);
        return new HostInfo
        {
            Id = host.Id,
            Address = host.EffectivePeerAddress,
            TunnelAddress = host.TunnelAddress,
            SshAddress = host.Address,
            UnderlayDevice = host.UnderlayDevice ?? status.Inventory?.UnderlayDevice,
            UnderlayMtu = host.UnderlayMtu ?? status.Inventory?.UnderlayMtu ?? 1500,
            LxcPath = host.LxcPath ?? status.Inventory?.LxcPath,
            Features = status.Observed?.Features,
        };
    }
}
