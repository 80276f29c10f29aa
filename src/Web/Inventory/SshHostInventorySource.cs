using Superbridge.Core.Model;
using Superbridge.Ssh.Audit;
using Superbridge.Ssh.Inventory;
using Superbridge.Web.Hosts;

namespace Superbridge.Web.Inventory;

/// <summary>Inventories a stored host with the SSH layer's <see cref="HostInventoryService"/> (one round trip, pinned key).</summary>
public sealed class SshHostInventorySource(HostInventoryService inventory) : IHostInventorySource
{
    public Task<HostInventoryResult> RefreshAsync(
        StoredHost host, IReadOnlyDictionary<string, HostId> hostsByUnderlayAddress, AuditTag audit, CancellationToken cancellationToken) =>
        inventory.RefreshAsync(ToTarget(host), hostsByUnderlayAddress, audit, cancellationToken);

    /// <summary>Peers point their tunnels at the peer address (the SSH address unless set); the underlay device is found by the tunnel address when set.</summary>
    public static InventoryTarget ToTarget(StoredHost host) => new(host.ToTarget(), host.PeerAddress, host.LxcPath, host.TunnelAddress);
}
