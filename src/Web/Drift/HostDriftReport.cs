using System.Collections.Immutable;
using Superbridge.Core.Planning;

namespace Superbridge.Web.Drift;

/// <summary>Whether a host's latest inventory can be held against what was applied to it.</summary>
public enum InventoryTrust
{
    /// <summary>Online with a complete inventory: drift is checked.</summary>
    Observed,
    /// <summary>Not inventoried since the dashboard started (or being read now).</summary>
    Unknown,
    /// <summary>The last refresh failed; its older inventory is not trusted to claim anything is in sync.</summary>
    Offline,
    /// <summary>Parts of the inventory could not be read, so an absent device may only be unread.</summary>
    Incomplete,
}

/// <summary>How one applied segment compares with the host.</summary>
public enum SegmentDriftState
{
    InSync,
    Drifted,
    /// <summary>The host's inventory cannot be trusted now (see <see cref="InventoryTrust"/>).</summary>
    NotChecked,
    /// <summary>Core refused to plan the applied segment (e.g. a member host was removed).</summary>
    CannotCompare,
}

/// <summary>One segment applied to the host: in sync, or each device that is missing or different there.</summary>
public sealed record SegmentDrift(string Segment, SegmentDriftState State, ImmutableArray<Core.Planning.Drift> Items, ImmutableArray<string> Problems)
{
    public static SegmentDrift NotChecked(string segment) => new(segment, SegmentDriftState.NotChecked, [], []);
}

/// <summary>
/// The host detail page's drift section: every segment whose applied state includes the host, compared with the
/// host's latest inventory; or why that inventory cannot be compared.
/// </summary>
public sealed record HostDriftReport
{
    public required string HostId { get; init; }
    public required InventoryTrust Observation { get; init; }
    /// <summary>Why the inventory is not compared (offline, unknown or incomplete); null when it is.</summary>
    public string? Reason { get; init; }
    public required ImmutableArray<SegmentDrift> Segments { get; init; }

    public bool HasDrift => Segments.Any(s => s.State == SegmentDriftState.Drifted);
}
