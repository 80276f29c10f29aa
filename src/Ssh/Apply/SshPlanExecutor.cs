using System.Collections.Immutable;
using Superbridge.Core.Model;
using Superbridge.Core.Planning;
using Superbridge.Operations;
using Superbridge.Ssh.Connections;

namespace Superbridge.Ssh.Apply;

/// <summary>
/// <see cref="IPlanExecutor"/> over SSH: each host of the plan on its pooled session (found through
/// <see cref="IHostTargetSource"/>), run by <see cref="PlanExecutor"/>. A host that cannot be reached fails the run
/// before its first step, so the other hosts are rolled back. A host whose connection drops is reconnected through
/// the pool for the rollback (<see cref="PooledHostReconnector"/>).
/// </summary>
public sealed class SshPlanExecutor(SshConnectionPool pool, IHostTargetSource targets, TimeProvider time, IKeyStore? keys = null) : IPlanExecutor
{
    private readonly PlanExecutor _executor = new(time, keys);
    private readonly PooledHostReconnector _reconnector = new(pool, targets);

    public async Task<PlanExecution> ExecuteAsync(
        SegmentPlan plan, HostLease lease, OperationContext context, Func<ApplyEvent, ValueTask> onEvent, ApplyOptions options,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var sessions = new Dictionary<HostId, IHostSession>();
        foreach (var host in plan.Hosts)
        {
            var failure = await ConnectAsync(host.Host, sessions, cancellationToken);
            if (failure is not null)
                return new PlanExecution(ApplyStatus.RolledBack, [.. plan.Hosts.Select(h => new HostApplyResult(h.Host, [], []))], failure);
        }
        return await _executor.ExecuteAsync(plan, sessions, lease, onEvent, options, cancellationToken, context, _reconnector);
    }

    private async Task<ApplyFailure?> ConnectAsync(HostId host, Dictionary<HostId, IHostSession> sessions, CancellationToken cancellationToken)
    {
        if (await targets.FindAsync(host, cancellationToken) is not { } target)
            return new ApplyFailure(host, null, $"host {host} is not known (no address or credentials)");
        try
        {
            sessions[host] = await pool.GetAsync(target, cancellationToken);
            return null;
        }
        catch (SshFailureException e)
        {
            return new ApplyFailure(host, null, $"host {host} is unreachable ({e.Reason}): {e.Message}", e.Message);
        }
    }
}
