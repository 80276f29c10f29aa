using System.Collections.Immutable;
using Superbridge.Core.Model;
using Superbridge.Core.Mtu;
using Superbridge.Core.Observed;
using Superbridge.Core.Planning;
using Superbridge.Core.Validation;

namespace Superbridge.Operations;

/// <summary>
/// Which operation a stored segment needs and its exact plan: the one function behind every preview and every run,
/// so what was shown is what runs. Pure.
/// </summary>
public static class OperationPlanner
{
    /// <summary>
    /// Applying a segment: from the version on the hosts (applied, or else the one an unfinished attempt may have left)
    /// to what is wanted when they differ; otherwise all of it again, which restores whatever went missing.
    /// </summary>
    public static SegmentOperation NextApply(SegmentRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var onHosts = record.Applied ?? record.Attempted;
        return onHosts is not null && !SegmentRecord.Same(onHosts, record.Desired)
            ? SegmentOperation.Change(onHosts, record.Desired)
            : SegmentOperation.Apply(record.Desired);
    }

    /// <summary>Tearing a segment down: what was applied and what an unfinished attempt may have left; null when neither exists.</summary>
    public static SegmentOperation? Teardown(SegmentRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return (record.Applied, record.Attempted) switch
        {
            ({ } applied, { } attempted) when !SegmentRecord.Same(applied, attempted) => SegmentOperation.Teardown(applied, attempted),
            ({ } applied, _) => SegmentOperation.Teardown(applied),
            (null, { } attempted) => SegmentOperation.Teardown(attempted),
            _ => null,
        };
    }

    /// <summary>
    /// Rotating the key of the IPsec pair of <paramref name="first"/> and <paramref name="second"/> (either order) in
    /// the version on the hosts; refused, naming the field, when nothing is applied, it is not encrypted, or they share no key.
    /// </summary>
    public static Outcome<SegmentOperation> RotateKey(SegmentRecord record, HostId first, HostId second)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Applied is not { } applied)
            return Outcome<SegmentOperation>.Fail("id", ErrorCode.Conflict, $"segment {record.Id} is not applied: its keys are made when it is");
        if (applied.Spec.Encryption != Encryption.Ipsec)
            return Outcome<SegmentOperation>.Fail("encryption", ErrorCode.NotAllowed, record.Desired.Spec.Encryption == Encryption.Ipsec
                ? $"segment {record.Id} is not encrypted on its hosts yet: apply it first"
                : $"segment {record.Id} is not encrypted (encryption is none): it has no keys to rotate");
        if (IpsecPair.Find(applied.Spec, first, second) is not { } pair)
        {
            var pairs = string.Join(", ", IpsecPair.Of(applied.Spec).Select(p => $"{p.A}/{p.B}"));
            return Outcome<SegmentOperation>.Fail("link", ErrorCode.NotFound, $"{first} and {second} share no IPsec key in segment {record.Id} (its pairs: {pairs})");
        }
        return Outcome<SegmentOperation>.Ok(SegmentOperation.RotateKey(applied, pair));
    }

    /// <summary>The other segments in the versions that may be on hosts (applied and attempted).</summary>
    public static ImmutableArray<Segment> Others(IEnumerable<SegmentRecord> all, string id) =>
    [
        .. all.Where(r => r.Id != id)
            .SelectMany(r => new[] { r.Applied, r.Attempted })
            .Where(s => s is not null)
            .Select(s => s!),
    ];

    /// <param name="hosts">What the planner knows of each host (every host of the operation).</param>
    /// <param name="observed">The hosts' state; a host absent here gets every step, each decided by its check.</param>
    /// <param name="paths">The segment's underlay paths as measured (null: planned from the interfaces' MTU).</param>
    public static Result<SegmentPlan> Plan(SegmentOperation operation, IReadOnlyDictionary<HostId, HostInfo> hosts,
        IReadOnlyDictionary<HostId, ObservedHost> observed, IEnumerable<SegmentRecord> all, IReadOnlyCollection<MeasuredPath>? paths = null) =>
        operation.Plan(hosts, observed, Others(all, operation.Segment.Spec.Name), paths);

    /// <summary>After a run: every step still planned and every mismatched device is drift; empty means the hosts match.</summary>
    /// <param name="paths">The measurements the operation was planned from (so the MTU it set is the one expected).</param>
    public static ImmutableArray<string> Verify(SegmentOperation operation, HostObservations fresh, IEnumerable<SegmentRecord> all,
        IReadOnlyCollection<MeasuredPath>? paths = null)
    {
        if (!fresh.Problems.IsEmpty) return [.. fresh.Problems.Select(p => $"could not verify: {p}")];
        var replanned = operation.PlanVerification(fresh.Infos, fresh.Observed, Others(all, operation.Segment.Spec.Name), paths);
        if (!replanned.IsOk) return [.. replanned.Errors.Select(e => $"could not verify: {e}")];
        var drift = ImmutableArray.CreateBuilder<string>();
        foreach (var host in replanned.Value.Hosts)
            foreach (var step in host.Steps)
                drift.Add($"{host.Host}: still to do: {step.Description}");
        if (operation.Kind != SegmentOperationKind.Teardown)
        {
            var detected = SegmentPlanner.DetectDrift(operation.Segment, fresh.Infos, fresh.Observed, paths);
            if (detected.IsOk)
                foreach (var d in detected.Value.Where(d => d.Kind == DriftKind.Mismatch))
                    drift.Add(d.ToString());
        }
        return drift.ToImmutable();
    }
}
