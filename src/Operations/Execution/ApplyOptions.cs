using System.Collections.Immutable;

namespace Superbridge.Operations;

/// <summary>How a plan runs.</summary>
public sealed record ApplyOptions
{
    /// <summary>
    /// Hosts whose steps run at the same time (each host's steps always run in order). 1 runs hosts one after
    /// another in plan order, which makes the order of events fully deterministic.
    /// </summary>
    public int MaxParallelHosts { get; init; } = 8;

    /// <summary>Attempts to reconnect to a host whose connection dropped before its undo steps are given up.</summary>
    public int ReconnectAttempts { get; init; } = 4;

    /// <summary>Wait before the first reconnect attempt; doubled after each failed one.</summary>
    public TimeSpan ReconnectBackoff { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Timeout of each check, step and undo; null uses the connection's command timeout.</summary>
    public TimeSpan? CommandTimeout { get; init; }

    public static ApplyOptions Default { get; } = new();
}

/// <summary>What running a plan did.</summary>
public sealed record PlanExecution(ApplyStatus Status, ImmutableArray<HostApplyResult> Hosts, ApplyFailure? Error);
