using System.Collections.Immutable;
using System.Text.Json.Serialization;
using Superbridge.Core.Model;
using Superbridge.Core.Mtu;
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
    /// <summary>Give one IPsec pair of an applied segment a new key.</summary>
    [JsonStringEnumMemberName("rotate-key")] RotateKey,
}

/// <summary>
/// What to do to a segment: apply it, tear it down, or change it from one version to the next. Planned against every
/// other stored segment, so what hosts share (IPv4 forwarding on a router host) is kept while another segment needs it.
/// </summary>
public sealed record SegmentOperation
{
    private SegmentOperation(SegmentOperationKind kind, Segment segment, Segment? from, IpsecPair? pair = null)
    {
        ArgumentNullException.ThrowIfNull(segment);
        Kind = kind;
        Segment = segment;
        From = from;
        Pair = pair;
    }

    public SegmentOperationKind Kind { get; }

    /// <summary>The segment as wanted after the operation (for a teardown: the one removed).</summary>
    public Segment Segment { get; }

    /// <summary>
    /// Change: the version the hosts have now. Teardown: a second version whose pieces may be on the hosts too (an
    /// attempt that never finished), removed in the same plan.
    /// </summary>
    public Segment? From { get; }

    /// <summary>Key rotation: the pair whose key is replaced (the segment is the applied version).</summary>
    public IpsecPair? Pair { get; }

    public static SegmentOperation Apply(Segment segment) => new(SegmentOperationKind.Apply, segment, null);

    /// <param name="alsoAttempted">A version an unfinished operation may have left pieces of; null when there is none.</param>
    public static SegmentOperation Teardown(Segment segment, Segment? alsoAttempted = null) => new(SegmentOperationKind.Teardown, segment, alsoAttempted);

    public static SegmentOperation Change(Segment from, Segment to) =>
        new(SegmentOperationKind.Change, to, from ?? throw new ArgumentNullException(nameof(from)));

    public static SegmentOperation RotateKey(Segment applied, IpsecPair pair) =>
        new(SegmentOperationKind.RotateKey, applied, null, pair ?? throw new ArgumentNullException(nameof(pair)));

    /// <summary>Every host the operation touches or verifies (a rotation runs on its pair and checks the whole segment after).</summary>
    public ImmutableArray<HostId> Hosts =>
        [.. Segment.Spec.Members.Concat(From?.Spec.Members ?? []).Distinct()];

    /// <summary>Whether the operation creates things on the hosts (so features and names must be checked first).</summary>
    public bool Creates => Kind is SegmentOperationKind.Apply or SegmentOperationKind.Change;

    /// <param name="others">Every other stored segment in the versions that may be on hosts.</param>
    /// <param name="paths">Measured underlay paths (an apply's or change's MTU follows them).</param>
    public Result<SegmentPlan> Plan(
        IReadOnlyDictionary<HostId, HostInfo> hosts, IReadOnlyDictionary<HostId, ObservedHost> observed, IReadOnlyCollection<Segment> others,
        IReadOnlyCollection<MeasuredPath>? paths = null) => Kind switch
    {
        SegmentOperationKind.Apply => SegmentPlanner.Plan(Segment, hosts, observed, paths),
        SegmentOperationKind.Teardown => PlanTeardown(hosts, observed, others),
        SegmentOperationKind.RotateKey => SegmentPlanner.PlanKeyRotation(Segment, Pair!, hosts),
        _ => SegmentPlanner.PlanChange(From!, Segment, hosts, observed, others, paths),
    };

    /// <summary>The plan that must come out empty once the operation is done: re-applying the result, or tearing down again.</summary>
    public Result<SegmentPlan> PlanVerification(
        IReadOnlyDictionary<HostId, HostInfo> hosts, IReadOnlyDictionary<HostId, ObservedHost> observed, IReadOnlyCollection<Segment> others,
        IReadOnlyCollection<MeasuredPath>? paths = null) =>
        Kind == SegmentOperationKind.Teardown
            ? PlanTeardown(hosts, observed, others)
            : SegmentPlanner.Plan(Segment, hosts, observed, paths);

    /// <summary>The removed version's teardown, then the attempted version's steps it does not already hold (same step id, same resource).</summary>
    private Result<SegmentPlan> PlanTeardown(
        IReadOnlyDictionary<HostId, HostInfo> hosts, IReadOnlyDictionary<HostId, ObservedHost> observed, IReadOnlyCollection<Segment> others)
    {
        var main = SegmentPlanner.PlanTeardown(Segment, hosts, observed, others);
        if (From is null || !main.IsOk) return main;
        var attempted = SegmentPlanner.PlanTeardown(From, hosts, observed, others);
        if (!attempted.IsOk) return attempted;
        var merged = main.Value.Hosts.ToDictionary(h => h.Host, h => h.Steps);
        foreach (var host in attempted.Value.Hosts)
        {
            var steps = merged.GetValueOrDefault(host.Host, []);
            var ids = steps.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
            merged[host.Host] = steps.AddRange(host.Steps.Where(s => !ids.Contains(s.Id)));
        }
        var order = main.Value.Hosts.Select(h => h.Host).Concat(attempted.Value.Hosts.Select(h => h.Host)).Distinct();
        return Result<SegmentPlan>.Ok(main.Value with { Hosts = [.. order.Select(h => new HostPlan(h, merged[h]))] });
    }
}
