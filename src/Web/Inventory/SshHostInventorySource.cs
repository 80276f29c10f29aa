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

    /// <summary>The SSH address is the underlay address: tunnels from other hosts point at it.</summary>
    public static InventoryTarget ToTarget(StoredHost host) => new(host.ToTarget(), UnderlayAddress: null, host.LxcPath);
}
