using System.Collections.Immutable;

namespace Superbridge.Core.Planning;

/// <summary>
/// What to run where. Hosts are independent: their plans can run in parallel. <see cref="Drift"/>
/// lists differences found on hosts where the segment's bridge already exists; mismatched devices are
/// not replaced automatically (tear down and re-apply to replace them).
/// </summary>
public sealed record SegmentPlan
{
    public required string Segment { get; init; }
    public required int Mtu { get; init; }
    public required ImmutableArray<HostPlan> Hosts { get; init; }
    public ImmutableArray<Drift> Drift { get; init; } = [];
    /// <summary>Hosts where what this plan sets up does not survive a reboot, and why (observed hosts only).</summary>
    public ImmutableArray<NotPersistentHost> NotPersistent { get; init; } = [];
    /// <summary>The segment's underlay paths as measured (each direction), when the plan was made from measurements.</summary>
    public ImmutableArray<Mtu.MeasuredPath> Paths { get; init; } = [];
    /// <summary>What may break large frames: a path nothing crossed, an MTU override above the measured paths.</summary>
    public ImmutableArray<string> Warnings { get; init; } = [];

    /// <summary>When the oldest of <see cref="Paths"/> was measured.</summary>
    public DateTimeOffset? PathsMeasuredAt => Paths.IsDefaultOrEmpty ? null : Paths.Min(p => p.MeasuredAt);

    public int StepCount => Hosts.Sum(h => h.Steps.Length);
    public bool IsEmpty => StepCount == 0;
}

/// <summary>A host whose part of the segment is runtime state only: a reboot erases it.</summary>
public sealed record NotPersistentHost(Model.HostId Host, string Reason);
