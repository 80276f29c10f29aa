using System.Collections.Immutable;
using Superbridge.Core.Model;
using Superbridge.Core.Observed;
using Superbridge.Operations;
using Superbridge.Ssh.Audit;
using Superbridge.Ssh.Inventory;

namespace Superbridge.Ssh.Tests.EndToEnd;

/// <summary>
/// Operations' <see cref="IHostObserver"/> for the lab tests: the product's inventory service over the pool, each
/// read tagged with the operation, for the lab hosts a test names (in the dashboard the board plays this part).
/// </summary>
public sealed class LabHostObserver(HostInventoryService inventory, IReadOnlyCollection<ApplyHost> hosts) : IHostObserver
{
    public async Task<HostObservations> ObserveAsync(IReadOnlyCollection<HostId> ids, OperationContext context, CancellationToken cancellationToken)
    {
        var reads = await Task.WhenAll(ids.Distinct().Select(async id =>
        {
            if (hosts.FirstOrDefault(h => h.Id == id) is not { } host)
                return (id, (HostObservation?)null, (PreflightProblem?)new PreflightProblem(id, $"host {id} is not known (no address or credentials)"));
            var (observed, problem) = await ReadAsync(host, new AuditTag(context.OperationId, context.User), cancellationToken);
            return (id, observed is null ? null : new HostObservation(host.Info, observed), problem is null ? null : new PreflightProblem(id, problem));
        }));
        return new HostObservations(
            reads.Where(r => r.Item2 is not null).ToImmutableDictionary(r => r.id, r => r.Item2!),
            [.. reads.Where(r => r.Item3 is not null).Select(r => r.Item3!)]);
    }

    /// <summary>One host's state for a test's own before/after comparison; throws when it cannot be read completely.</summary>
    public async Task<ObservedHost> ObserveAsync(ApplyHost host, CancellationToken cancellationToken = default)
    {
        var (observed, problem) = await ReadAsync(host, AuditTag.System, cancellationToken);
        return observed ?? throw new InvalidOperationException(problem);
    }

    private async Task<(ObservedHost? Observed, string? Problem)> ReadAsync(ApplyHost host, AuditTag audit, CancellationToken cancellationToken)
    {
        var result = await inventory.RefreshAsync(InventoryTarget.From(host.Target, host.Info), audit: audit, cancellationToken: cancellationToken);
        return result switch
        {
            HostInventoryResult.Online { Problems.IsEmpty: true } online => (online.Host, null),
            HostInventoryResult.Online online => (null, $"the inventory of {host.Id} is incomplete: {string.Join("; ", online.Problems)}"),
            HostInventoryResult.Offline offline => (null, $"host {host.Id} is unreachable ({offline.Reason}): {offline.Message}"),
            _ => (null, $"no inventory from {host.Id}"),
        };
    }
}
