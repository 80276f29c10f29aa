using System.Collections.Immutable;
using System.Text.Json.Serialization;
using Superbridge.Core.Model;
using Superbridge.Core.Observed;
using Superbridge.Core.Planning;
using Superbridge.Core.Validation;

namespace Superbridge.Operations;

[JsonConverter(typeof(JsonStringEnumConverter<SegmentOperationKind>))]
public enum SegmentOperationKind
{
    /// <summary>Set up (or complete) a segment.</summary>
    [JsonStringEnumMemberName("apply")] Apply,
    /// <summary>Remove a segment from its hosts.</summary>
    [JsonStringEnumMemberName("teardown")] Teardown,
    /// <summary>Go from one version of a segment to the next.</summary>
    [JsonStringEnumMemberName("change")] Change,
}

/// <summary>What to do to a segment: apply it, tear it down, or change it from one version to the next.</summary>
public sealed record SegmentOperation
{
    private SegmentOperation(SegmentOperationKind kind, Segment segment, Segment? from)
    {
        ArgumentNullException.ThrowIfNull(segment);
        Kind = kind;
        Segment = segment;
        From = from;
    }

    public SegmentOperationKind Kind { get; }

    /// <summary>The segment as wanted after the operation (for a teardown: the one removed).</summary>
    public Segment Segment { get; }

    /// <summary>The previous version (change only).</summary>
    public Segment? From { get; }

    public static SegmentOperation Apply(Segment segment) => new(SegmentOperationKind.Apply, segment, null);
    public static SegmentOperation Teardown(Segment segment) => new(SegmentOperationKind.Teardown, segment, null);
    public static SegmentOperation Change(Segment from, Segment to) =>
        new(SegmentOperationKind.Change, to, from ?? throw new ArgumentNullException(nameof(from)));

    /// <summary>Every host the operation touches.</summary>
    public ImmutableArray<HostId> Hosts =>
        [.. Segment.Spec.Members.Concat(From?.Spec.Members ?? []).Distinct()];

    /// <summary>Whether the operation creates things on the hosts (so features and names must be checked first).</summary>
    public bool Creates => Kind != SegmentOperationKind.Teardown;

    public Result<SegmentPlan> Plan(IReadOnlyDictionary<HostId, HostInfo> hosts, IReadOnlyDictionary<HostId, ObservedHost> observed) => Kind switch
    {
        SegmentOperationKind.Apply => SegmentPlanner.Plan(Segment, hosts, observed),
        SegmentOperationKind.Teardown => SegmentPlanner.PlanTeardown(Segment, hosts, observed),
        _ => SegmentPlanner.PlanChange(From!, Segment, hosts, observed),
    };

    /// <summary>The plan that must come out empty once the operation is done: re-applying the result, or tearing down again.</summary>
    public Result<SegmentPlan> PlanVerification(IReadOnlyDictionary<HostId, HostInfo> hosts, IReadOnlyDictionary<HostId, ObservedHost> observed) =>
        Kind == SegmentOperationKind.Teardown
            ? SegmentPlanner.PlanTeardown(Segment, hosts, observed)
            : SegmentPlanner.Plan(Segment, hosts, observed);
}
