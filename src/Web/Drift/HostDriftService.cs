using Superbridge.Operations;
using System.Collections.Immutable;
using Superbridge.Core.Model;
using Superbridge.Core.Mtu;
using Superbridge.Core.Observed;
using Superbridge.Core.Planning;
using Superbridge.Web.Inventory;
using Superbridge.Web.Segments;
using Superbridge.Web.Topology;

namespace Superbridge.Web.Drift;

/// <summary>
/// Holds what Superbridge applied against a host's latest inventory (from <see cref="HostStatusBoard"/>) with Core's
/// <see cref="SegmentPlanner.DetectDrift"/>. Reads only what is stored and already observed: nothing talks to a host.
/// </summary>
public sealed class HostDriftService(TopologyData data)
{
    public async Task<HostDriftReport> ReportAsync(string hostId, CancellationToken cancellationToken = default) =>
        Report(hostId, await data.SegmentsAsync(cancellationToken), await data.HostsAsync(cancellationToken));

    public static HostDriftReport Report(string hostId, IReadOnlyList<SegmentRecord> segments, KnownHosts hosts)
    {
        var host = new HostId(hostId);
        var applied = segments
            .Where(s => s.Applied is { } a && a.Spec.Members.Contains(host))
            .OrderBy(s => s.Id, StringComparer.Ordinal)
            .Select(s => s.Applied!)
            .ToList();
        var status = hosts.Status(hostId);
        var (observation, reason) = Observation(status);
        if (observation != InventoryTrust.Observed)
        {
            return new HostDriftReport { HostId = hostId, Observation = observation, Reason = reason, Segments = [.. applied.Select(a => SegmentDrift.NotChecked(a.Spec.Name))] };
        }
        var infos = hosts.Infos();
        var observed = hosts.Observed();
        return new HostDriftReport { HostId = hostId, Observation = observation, Segments = [.. applied.Select(a => Compare(a, host, infos, observed, hosts.Paths))] };
    }

    /// <summary>Whether an observed member lacks or differs from what was applied there: applying again restores it.</summary>
    public static bool Drifted(SegmentRecord record, KnownHosts hosts) =>
        record.Applied is { } applied && applied.Spec.Members.Any(m => Report(m.Value, [record], hosts).HasDrift);

    private static (InventoryTrust, string?) Observation(HostStatus status) => status switch
    {
        { State: HostState.Offline } => (InventoryTrust.Offline,
            $"The host is offline ({OfflineReasons.Label(status.Reason)}), so its drift is unknown."),
        { Observed: null } or { State: HostState.Unknown } => (InventoryTrust.Unknown,
            "The host has not been inventoried yet, so its drift is unknown."),
        { Inventory.Problems.IsEmpty: false } => (InventoryTrust.Incomplete,
            "Parts of the host's inventory could not be read, so drift is not checked."),
        _ => (InventoryTrust.Observed, null),
    };

    /// <param name="paths">Underlay paths as last measured: the MTU they gave the segment is not drift.</param>
    private static SegmentDrift Compare(Segment applied, HostId host, IReadOnlyDictionary<HostId, HostInfo> infos, ImmutableDictionary<HostId, ObservedHost> observed,
        IReadOnlyCollection<MeasuredPath> paths)
    {
        // Core validates every member's attachments against observed state, but only this host's drift is kept:
        // members not inventoried stand in as empty so an unread peer does not hide this host's answer.
        var withPeers = applied.Spec.Members
            .Where(m => !observed.ContainsKey(m))
            .Aggregate(observed, (all, m) => all.Add(m, ObservedHost.Empty(m.Value)));
        var drift = SegmentPlanner.DetectDrift(applied, infos, withPeers, paths);
        if (!drift.IsOk)
        {
            return new SegmentDrift(applied.Spec.Name, SegmentDriftState.CannotCompare, [], [.. drift.Errors.Select(e => e.ToString())]);
        }
        var here = drift.Value.Where(d => d.Host == host).ToImmutableArray();
        return new SegmentDrift(applied.Spec.Name, here.IsEmpty ? SegmentDriftState.InSync : SegmentDriftState.Drifted, here, []);
    }
}
