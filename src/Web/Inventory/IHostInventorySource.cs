using Superbridge.Core.Model;
using Superbridge.Ssh.Audit;
using Superbridge.Ssh.Inventory;
using Superbridge.Web.Hosts;

namespace Superbridge.Web.Inventory;

/// <summary>
/// Where the dashboard gets one host's inventory. The real one runs the inventory script over SSH
/// (<see cref="SshHostInventorySource"/>); tests feed hand-built results.
/// </summary>
public interface IHostInventorySource
{
    /// <summary>
    /// Inventories <paramref name="host"/>. Never throws for the host's fault (an unreachable host is
    /// <see cref="HostInventoryResult.Offline"/>); only <paramref name="cancellationToken"/> throws.
    /// </summary>
    /// <param name="audit">The operation and user the inventory's command is filed under.</param>
    /// <param name="hostsByUnderlayAddress">Every known host by its tunnel endpoint address, to name tunnel peers.</param>
    Task<HostInventoryResult> RefreshAsync(
        StoredHost host, IReadOnlyDictionary<string, HostId> hostsByUnderlayAddress, AuditTag audit, CancellationToken cancellationToken);
}
