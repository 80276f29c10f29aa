using Superbridge.Core.Planning;

namespace Superbridge.Operations;

/// <summary>
/// Runs a plan on its hosts, transactionally: each host's steps in order, checks first, and on the first failure (or
/// cancellation) every completed step on every host undone. Implemented over SSH by the Ssh project.
/// </summary>
public interface IPlanExecutor
{
    /// <param name="lease">Locks of every host of the plan, held by the caller for the whole run.</param>
    /// <param name="onEvent">Receives the events in order, never concurrently.</param>
    /// <param name="cancellationToken">Stops starting new steps and rolls back; never interrupts a running command.</param>
    Task<PlanExecution> ExecuteAsync(
        SegmentPlan plan,
        HostLease lease,
        OperationContext context,
        Func<ApplyEvent, ValueTask> onEvent,
        ApplyOptions options,
        CancellationToken cancellationToken);
}
