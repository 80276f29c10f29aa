using System.Collections.Immutable;
using Superbridge.Core.Model;
using Superbridge.Core.Observed;

namespace Superbridge.Operations;

/// <summary>
/// Reads hosts' current state, each host once per call, in parallel. What the planner needs to know of a host
/// (<see cref="HostInfo"/>) is built in one place by the implementation, so a preview and an apply see the same.
/// </summary>
public interface IHostObserver
{
    Task<HostObservations> ObserveAsync(IReadOnlyCollection<HostId> hosts, OperationContext context, CancellationToken cancellationToken);
}

/// <summary>One host as just read: what the planner must know of it, and its state.</summary>
public sealed record HostObservation(HostInfo Info, ObservedHost Observed);

/// <summary>The hosts that could be read, and a problem for each one that could not (unknown, unreachable, partial).</summary>
public sealed record HostObservations(ImmutableDictionary<HostId, HostObservation> Hosts, ImmutableArray<PreflightProblem> Problems)
{
    public ImmutableDictionary<HostId, HostInfo> Infos => Hosts.ToImmutableDictionary(h => h.Key, h => h.Value.Info);

    public ImmutableDictionary<HostId, ObservedHost> Observed => Hosts.ToImmutableDictionary(h => h.Key, h => h.Value.Observed);
}
