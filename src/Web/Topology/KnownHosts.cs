using System.Collections.Immutable;
using Superbridge.Core.Model;
using Superbridge.Core.Mtu;
using Superbridge.Core.Observed;
using Superbridge.Web.Hosts;
using Superbridge.Web.Inventory;

namespace Superbridge.Web.Topology;

/// <summary>
/// The stored hosts with their latest inventory, as the planner sees them: what the operator told us plus what the
/// last refresh observed (underlay device and MTU, kernel features, containers). Nothing here talks to a host.
/// </summary>
public sealed record KnownHosts(ImmutableArray<StoredHost> Hosts, ImmutableDictionary<string, HostStatus> Statuses)
{
    public static KnownHosts Empty { get; } = new([], ImmutableDictionary<string, HostStatus>.Empty);

    /// <summary>Underlay paths as last measured (<see cref="Operations.PathMtuMeter.Remembered"/>).</summary>
    public ImmutableArray<MeasuredPath> Paths { get; init; } = [];

    public HostStatus Status(string hostId) => Statuses.TryGetValue(hostId, out var status) ? status : HostStatus.UnknownFor(hostId);

    public StoredHost? Find(string hostId) => Hosts.FirstOrDefault(h => h.Id == hostId);

    /// <summary>Every stored host as Core's <see cref="HostInfo"/>, built as operations build it.</summary>
    public ImmutableDictionary<HostId, HostInfo> Infos() =>
        Hosts.ToImmutableDictionary(h => new HostId(h.Id), h => PlannerHostInfo.From(h, Status(h.Id)));

    /// <summary>The hosts' last observed state; hosts never inventoried are absent.</summary>
    public ImmutableDictionary<HostId, ObservedHost> Observed() => Statuses.Values
        .Where(s => s.Observed is not null)
        .ToImmutableDictionary(s => new HostId(s.HostId), s => s.Observed!);
}
