using Superbridge.Operations;
using Superbridge.Core.Observed;
using Superbridge.Ssh.Inventory;

namespace Superbridge.Ssh.Apply;

/// <summary>
/// <see cref="IHostObserver"/> on the inventory service: one round trip per host over the pooled session. An offline
/// host, or an inventory with failed sections (the state would be partial, so planning on it is unsafe), throws.
/// </summary>
public sealed class InventoryHostObserver(HostInventoryService inventory) : IHostObserver
{
    private readonly HostInventoryService _inventory = inventory ?? throw new ArgumentNullException(nameof(inventory));

    public async Task<ObservedHost> ObserveAsync(ApplyHost host, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(host);
        var result = await _inventory.RefreshAsync(InventoryTarget.From(host.Target, host.Info), cancellationToken: cancellationToken);
        return result switch
        {
            HostInventoryResult.Online { Problems.IsEmpty: true } online => online.Host,
            HostInventoryResult.Online online => throw new HostObservationException(host.Id,
                $"the inventory of {host.Id} is incomplete: {string.Join("; ", online.Problems)}"),
            HostInventoryResult.Offline offline => throw new HostObservationException(host.Id,
                $"host {host.Id} is unreachable ({offline.Reason}): {offline.Message}"),
            _ => throw new HostObservationException(host.Id, $"no inventory from {host.Id}"),
        };
    }
}
