using System.Collections.Immutable;
using Superbridge.Core.Model;
using Superbridge.Operations;
using Superbridge.Ssh.Audit;
using Superbridge.Web.Hosts;

namespace Superbridge.Web.Inventory;

/// <summary>
/// Operations' <see cref="IHostObserver"/> in the dashboard: each host inventoried once through
/// <see cref="HostStatusBoard"/>, so what an operation reads is also what host pages, topology and drift show, and
/// every read is audited under the operation. After a rollback the board holds the preflight reading, which is the
/// state the hosts were put back to.
/// </summary>
public sealed class DashboardHostObserver(HostStore store, HostStatusBoard board) : IHostObserver
{
    public async Task<HostObservations> ObserveAsync(IReadOnlyCollection<HostId> hosts, OperationContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        ArgumentNullException.ThrowIfNull(context);
        var known = (await store.ListAsync(cancellationToken)).ToDictionary(h => h.Id);
        var tag = new AuditTag(context.OperationId, context.User);
        var reads = await Task.WhenAll(hosts.Distinct().Select(async id =>
        {
            if (!known.TryGetValue(id.Value, out var stored))
                return (id, (HostObservation?)null, new PreflightProblem(id, $"host '{id}' is not known; add it first"));
            var status = await board.RefreshAsync(id.Value, tag, cancellationToken);
            return status switch
            {
                { State: HostState.Online, Observed: { } observed, Inventory.Problems.IsEmpty: true } =>
                    (id, new HostObservation(PlannerHostInfo.From(stored, status), observed), (PreflightProblem?)null),
                { State: HostState.Online } => (id, null, new PreflightProblem(id,
                    $"the inventory of '{id}' is incomplete: {string.Join("; ", status.Inventory?.Problems ?? [])}")),
                null => (id, null, new PreflightProblem(id, $"host '{id}' is not known; add it first")),
                _ => (id, null, new PreflightProblem(id, $"host '{id}' is unreachable ({status.Reason}): {status.Message}")),
            };
        }));
        return new HostObservations(
            reads.Where(r => r.Item2 is not null).ToImmutableDictionary(r => r.id, r => r.Item2!),
            [.. reads.Where(r => r.Item3 is not null).Select(r => r.Item3!)]);
    }
}
