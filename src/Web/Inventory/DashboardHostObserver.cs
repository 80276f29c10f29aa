using System.Collections.Immutable;
using Superbridge.Core.Model;
using Superbridge.Operations;
using Superbridge.Ssh.Audit;

namespace Superbridge.Web.Inventory;

/// <summary>
/// Operations' <see cref="IHostObserver"/> in the dashboard: each host inventoried once through
/// <see cref="HostStatusBoard"/>, so what an operation reads is also what host pages, topology and drift show, and
/// every read is audited under the operation. After a rollback the board holds the preflight reading, which is the
/// state the hosts were put back to.
/// </summary>
public sealed class DashboardHostObserver(HostStatusBoard board) : IHostObserver
{
    public async Task<HostObservations> ObserveAsync(IReadOnlyCollection<HostId> hosts, OperationContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        ArgumentNullException.ThrowIfNull(context);
        var ids = hosts.Select(h => h.Value).ToHashSet(StringComparer.Ordinal);
        var read = await board.RefreshAsync(ids, new AuditTag(context.OperationId, context.User), cancellationToken);
        var observed = ImmutableDictionary.CreateBuilder<HostId, HostObservation>();
        var problems = ImmutableArray.CreateBuilder<PreflightProblem>();
        foreach (var (stored, status) in read)
        {
            var id = new HostId(stored.Id);
            switch (status)
            {
                case { State: HostState.Online, Observed: { } state, Inventory.Problems.IsEmpty: true }:
                    observed[id] = new HostObservation(PlannerHostInfo.From(stored, status), state);
                    break;
                case { State: HostState.Online }:
                    problems.Add(new PreflightProblem(id, $"the inventory of '{id}' is incomplete: {string.Join("; ", status.Inventory?.Problems ?? [])}"));
                    break;
                default:
                    problems.Add(new PreflightProblem(id, $"host '{id}' is unreachable ({status.Reason}): {status.Message}"));
                    break;
            }
        }
        foreach (var id in hosts.Distinct().Where(h => read.All(r => r.Host.Id != h.Value)))
            problems.Add(new PreflightProblem(id, $"host '{id}' is not known; add it first"));
        return new HostObservations(observed.ToImmutable(), problems.ToImmutable());
    }
}
