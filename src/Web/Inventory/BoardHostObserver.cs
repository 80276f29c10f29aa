using Superbridge.Core.Observed;
using Superbridge.Operations;
using Superbridge.Ssh.Apply;

namespace Superbridge.Web.Inventory;

/// <summary>
/// The applier's <see cref="IHostObserver"/> in the dashboard: it inventories each host through
/// <see cref="HostStatusBoard"/>, so what apply reads before it runs and after it ran (to verify) is also what host
/// pages, the topology and drift show, without another round trip per host. After a rollback the board holds the
/// preflight reading, which is the state the hosts were put back to.
/// </summary>
public sealed class BoardHostObserver(HostStatusBoard board) : IHostObserver
{
    public async Task<ObservedHost> ObserveAsync(ApplyHost host, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(host);
        var status = await board.RefreshAsync(host.Id.Value, cancellationToken: cancellationToken)
            ?? throw new HostObservationException(host.Id, $"host {host.Id} is not known; add it first");
        return status switch
        {
            { State: HostState.Online, Observed: { } observed, Inventory.Problems.IsEmpty: true } => observed,
            { State: HostState.Online } => throw new HostObservationException(host.Id,
                $"the inventory of {host.Id} is incomplete: {string.Join("; ", status.Inventory?.Problems ?? [])}"),
            _ => throw new HostObservationException(host.Id, $"host {host.Id} is unreachable ({status.Reason}): {status.Message}"),
        };
    }
}
