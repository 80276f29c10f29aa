using Superbridge.Operations;
using System.Collections.Immutable;
using Superbridge.Web.Hosts;
using Superbridge.Web.Inventory;
using Superbridge.Web.Segments;

namespace Superbridge.Web.Topology;

/// <summary>Reads what the Topology and Segments pages show: stored hosts with their latest status, and stored segments.</summary>
public sealed class TopologyData(HostStore hosts, HostStatusBoard board, SegmentStore segments, PathMtuMeter? pathMtus = null)
{
    public async Task<KnownHosts> HostsAsync(CancellationToken cancellationToken = default)
    {
        var all = await hosts.ListAsync(cancellationToken);
        return new KnownHosts([.. all], all.ToImmutableDictionary(h => h.Id, h => board.Get(h.Id))) { Paths = pathMtus?.Remembered ?? [] };
    }

    public Task<IReadOnlyList<SegmentRecord>> SegmentsAsync(CancellationToken cancellationToken = default) =>
        segments.ListAsync(cancellationToken);

    public Task<SegmentRecord?> SegmentAsync(string id, CancellationToken cancellationToken = default) =>
        segments.FindAsync(id, cancellationToken);

    /// <summary>Inventories the given hosts that were never inventoried since the dashboard started, so previews know their kernels and containers.</summary>
    public async Task EnsureObservedAsync(IEnumerable<string> hostIds, CancellationToken cancellationToken = default)
    {
        var unknown = hostIds.Distinct().Where(id => board.Get(id) is { State: HostState.Unknown, IsRefreshing: false });
        await Task.WhenAll(unknown.Select(id => board.RefreshAsync(id, cancellationToken: cancellationToken)));
    }
}
