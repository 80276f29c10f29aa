using System.Collections.Immutable;
using Superbridge.Core.Model;
using Superbridge.Core.Mtu;
using Superbridge.Core.Observed;
using Superbridge.Core.Planning.Steps;
using Superbridge.Core.Validation;

namespace Superbridge.Core.Planning;

/// <summary>
/// Turns a stored segment (spec + allocation) into the exact steps each host must run. Pure: the same
/// inputs give the same plan. Everything is validated first; on any error no plan is returned.
/// With observed state, steps whose effect is already present are left out, so re-planning an
/// applied segment gives an empty plan; without it, every step is listed and each step's Check decides.
/// </summary>
public static class SegmentPlanner
{
    /// <summary>Set up (or complete) a segment.</summary>
    /// <param name="paths">Measured underlay paths: the MTU follows the smallest of the segment's (<see cref="SegmentMtu"/>).</param>
    public static Result<SegmentPlan> Plan(
        Segment segment, IReadOnlyDictionary<HostId, HostInfo> hosts, IReadOnlyDictionary<HostId, ObservedHost>? observed = null,
        IReadOnlyCollection<MeasuredPath>? paths = null)
    {
        segment = InputNormalizer.Normalize(segment);
        var errors = Validate(segment, hosts, observed, forTeardown: false);
        if (!errors.IsEmpty) return Result<SegmentPlan>.Fail(errors);

        var mtu = SegmentMtu.Effective(segment.Spec, hosts, paths);
        var builder = new SetupStepBuilder(segment, hosts, observed, mtu);
        var plans = ImmutableArray.CreateBuilder<HostPlan>(builder.Hosts.Count);
        var drift = ImmutableArray.CreateBuilder<Drift>();
        foreach (var host in builder.Hosts)
        {
            var list = builder.ForHost(host);
            var index = observed is not null && observed.TryGetValue(host, out var o) ? new ObservedIndex(o) : null;
            var steps = ImmutableArray.CreateBuilder<PlanStep>(index is null ? list.Count : 0);
            var applied = index?.Link(segment.Spec.Bridge) is not null;
            foreach (var draft in list)
            {
                if (index is null || draft.Observe is null) { steps.Add(draft.Step); continue; }
                var seen = draft.Observe(index);
                if (applied && seen.Drift is { } detail) drift.Add(new Drift(host, draft.Subject, seen.Kind, detail));
                if (!seen.Present) steps.Add(draft.Step);
            }
            plans.Add(new HostPlan(host, FloodBatches.Merge(steps)));
        }
        return Result<SegmentPlan>.Ok(new SegmentPlan
        {
            Segment = segment.Spec.Name, Mtu = mtu, Hosts = plans.MoveToImmutable(), Drift = drift.ToImmutable(),
            NotPersistent = NotPersistent(segment, observed),
        }.WithPaths(segment.Spec, hosts, paths));
    }

    /// <summary>
    /// Remove a segment: every setup step's undo, in reverse order, per host. With observed state only
    /// what is present is undone. Attachments need the container's observed state (running or not).
    /// Pass <paramref name="otherSegments"/> so forwarding stays on where another segment still routes.
    /// </summary>
    public static Result<SegmentPlan> PlanTeardown(
        Segment segment, IReadOnlyDictionary<HostId, HostInfo> hosts, IReadOnlyDictionary<HostId, ObservedHost>? observed = null,
        IEnumerable<Segment>? otherSegments = null)
    {
        segment = InputNormalizer.Normalize(segment);
        var errors = Validate(segment, hosts, observed, forTeardown: true);
        if (!errors.IsEmpty) return Result<SegmentPlan>.Fail(errors);

        var mtu = SegmentMtu.Effective(segment.Spec, hosts);
        var builder = new SetupStepBuilder(segment, hosts, observed, mtu);
        var plans = ImmutableArray.CreateBuilder<HostPlan>(builder.Hosts.Count);
        foreach (var host in builder.Hosts)
        {
            var drafts = new Dictionary<HostId, List<StepDraft>> { [host] = builder.ForHost(host) };
            KeepSharedForwarding(segment, drafts, otherSegments);
            var index = observed is not null && observed.TryGetValue(host, out var o) ? new ObservedIndex(o) : null;
            plans.Add(new HostPlan(host, FloodBatches.Merge([.. Teardown(Owned(segment, host, drafts[host]), index)])));
        }
        return Result<SegmentPlan>.Ok(new SegmentPlan { Segment = segment.Spec.Name, Mtu = mtu, Hosts = plans.MoveToImmutable() });
    }

    /// <summary>
    /// Go from one version of a segment to the next (router moved, host added or removed, link
    /// changed): what is no longer wanted, or wanted differently, is torn down first (in reverse), then
    /// what is new is set up. Unchanged steps are not repeated.
    /// </summary>
    /// <param name="paths">Measured underlay paths, for the new version's MTU. The old version's steps are built
    /// without them (it may have been applied before they were known), so a lower figure re-sets every MTU.</param>
    public static Result<SegmentPlan> PlanChange(
        Segment from, Segment to, IReadOnlyDictionary<HostId, HostInfo> hosts, IReadOnlyDictionary<HostId, ObservedHost>? observed = null,
        IEnumerable<Segment>? otherSegments = null, IReadOnlyCollection<MeasuredPath>? paths = null)
    {
        from = InputNormalizer.Normalize(from);
        to = InputNormalizer.Normalize(to);
        var errors = Validate(from, hosts, observed, forTeardown: true).AddRange(Validate(to, hosts, observed, forTeardown: false));
        if (from.Spec.Name != to.Spec.Name)
            errors = errors.Add(new ValidationError("name", ErrorCode.Mismatch, "a change keeps the segment's name; tear down and create instead"));
        if (!errors.IsEmpty) return Result<SegmentPlan>.Fail(errors.Distinct());

        var mtu = SegmentMtu.Effective(to.Spec, hosts, paths);
        var oldDrafts = SetupStepBuilder.Build(from, hosts, observed, SegmentMtu.Effective(from.Spec, hosts));
        KeepSharedForwarding(from, oldDrafts, otherSegments);
        var newDrafts = SetupStepBuilder.Build(to, hosts, observed, mtu);
        var allHosts = oldDrafts.Keys.Concat(newDrafts.Keys).Distinct().ToList();
        var indexes = Index(observed, allHosts);

        var plans = ImmutableArray.CreateBuilder<HostPlan>(allHosts.Count);
        foreach (var host in allHosts)
        {
            var before = oldDrafts.GetValueOrDefault(host) ?? [];
            var after = newDrafts.GetValueOrDefault(host) ?? [];
            var index = indexes.GetValueOrDefault(host);
            var changed = ChangedIds(before, after);
            var steps = new List<PlanStep>();
            steps.AddRange(Teardown(Owned(from, host, before).Where(d => changed.Contains(d.Step.Id)).ToList(), index));
            foreach (var draft in after)
            {
                var redo = changed.Contains(draft.Step.Id);
                var fromBefore = before.Any(d => d.Step.Id == draft.Step.Id);
                if (fromBefore && !redo) continue; // unchanged and already part of the old version
                if (!redo && index is not null && draft.Observe is not null && draft.Observe(index).Present) continue;
                steps.Add(draft.Step);
            }
            plans.Add(new HostPlan(host, FloodBatches.Merge(steps)));
        }
        return Result<SegmentPlan>.Ok(new SegmentPlan
        {
            Segment = to.Spec.Name, Mtu = mtu, Hosts = plans.MoveToImmutable(), NotPersistent = NotPersistent(to, observed),
        }.WithPaths(to.Spec, hosts, paths));
    }

    /// <summary>
    /// Rotate one pair's key: on each end (member order) its key file written with the staged key, and on the second
    /// end, once both may have it, the IKE SA re-authenticated. Nothing else of the segment is touched or observed.
    /// </summary>
    public static Result<SegmentPlan> PlanKeyRotation(Segment segment, IpsecPair pair, IReadOnlyDictionary<HostId, HostInfo> hosts)
    {
        ArgumentNullException.ThrowIfNull(pair);
        segment = InputNormalizer.Normalize(segment);
        // The rotation touches only the pair's key files: its attachments need no observed container state here.
        var keysOnly = segment with
        {
            Spec = segment.Spec with { Attachments = [] },
            Allocation = segment.Allocation is null ? null! : segment.Allocation with { Attachments = [] },
        };
        var errors = Validate(keysOnly, hosts, null, forTeardown: true);
        if (!errors.IsEmpty) return Result<SegmentPlan>.Fail(errors);
        if (IpsecPair.Find(segment.Spec, pair.A, pair.B) != pair)
            return Result<SegmentPlan>.Fail([new ValidationError("link", ErrorCode.NotFound, $"{pair.A} and {pair.B} share no IPsec key in segment {segment.Spec.Name}")]);
        var ends = segment.Spec.Members.Where(m => m == pair.A || m == pair.B).ToList();
        // Key files name the IKE identities, the peer addresses: no tunnel address (nor observed state) is needed.
        var plans = ends.Select((end, i) => new HostPlan(end, [.. IpsecSteps.Rotation(segment.Spec.Name, pair.Name,
            ObservedIndex.Canonical(hosts[end].Address), ObservedIndex.Canonical(hosts[ends[1 - i]].Address), reauthenticate: i == 1)]));
        return Result<SegmentPlan>.Ok(new SegmentPlan { Segment = segment.Spec.Name, Mtu = SegmentMtu.Effective(segment.Spec, hosts), Hosts = [.. plans] });
    }

    /// <summary>Every difference between the segment and what the hosts have, including missing pieces (for applied segments).</summary>
    /// <param name="paths">The measured paths the segment was planned from, so the MTU they gave is not drift.</param>
    public static Result<ImmutableArray<Drift>> DetectDrift(
        Segment segment, IReadOnlyDictionary<HostId, HostInfo> hosts, IReadOnlyDictionary<HostId, ObservedHost> observed,
        IReadOnlyCollection<MeasuredPath>? paths = null)
    {
        segment = InputNormalizer.Normalize(segment);
        var errors = Validate(segment, hosts, observed, forTeardown: true);
        if (!errors.IsEmpty) return Result<ImmutableArray<Drift>>.Fail(errors);
        var mtu = SegmentMtu.Effective(segment.Spec, hosts, paths);
        var drafts = SetupStepBuilder.Build(segment, hosts, observed, mtu);
        var indexes = Index(observed, drafts.Keys);
        var drift = ImmutableArray.CreateBuilder<Drift>();
        foreach (var (host, list) in drafts)
        {
            if (!indexes.TryGetValue(host, out var index))
            {
                drift.Add(new Drift(host, host.Value, DriftKind.Missing, "host not observed"));
                continue;
            }
            foreach (var draft in list)
            {
                if (draft.Observe is null) continue;
                var seen = draft.Observe(index);
                if (seen.Drift is { } detail) drift.Add(new Drift(host, draft.Subject, seen.Kind, detail));
                else if (!seen.Present && draft.Step.Id.StartsWith("modprobe:", StringComparison.Ordinal) is false)
                    drift.Add(new Drift(host, draft.Subject, DriftKind.Missing, $"missing: {draft.Step.Description}"));
            }
        }
        return Result<ImmutableArray<Drift>>.Ok(drift.ToImmutable());
    }

    private static ImmutableArray<NotPersistentHost> NotPersistent(Segment segment, IReadOnlyDictionary<HostId, ObservedHost>? observed) =>
        observed is null ? [] : [.. segment.Spec.Members
            .Where(m => observed.TryGetValue(m, out var o) && o.Boot.Persistence == Persistence.None)
            .Select(m => new NotPersistentHost(m, observed[m].Boot.Reason))];

    /// <summary>Drafts minus the steps whose effect was there before the segment: those are not ours to undo.</summary>
    private static List<StepDraft> Owned(Segment segment, HostId host, List<StepDraft> drafts)
    {
        if (segment.Allocation.Preexisting.IsDefaultOrEmpty) return drafts;
        var preexisting = segment.Allocation.Preexisting.Where(p => p.Host == host).Select(p => p.StepId).ToHashSet(StringComparer.Ordinal);
        return preexisting.Count == 0 ? drafts : drafts.Where(d => !preexisting.Contains(d.Step.Id)).ToList();
    }

    /// <summary>net.ipv4.ip_forward is one value per host: leave it on while another segment routes there.</summary>
    private static void KeepSharedForwarding(Segment segment, Dictionary<HostId, List<StepDraft>> drafts, IEnumerable<Segment>? others)
    {
        if (others is null || segment.Spec.Router is not { Mode: RouterMode.Gateway } router || !drafts.TryGetValue(router.Host, out var list)) return;
        var shared = others.Any(o => o?.Spec is not null && o.Spec.Name != segment.Spec.Name
            && o.Spec.Router is { Mode: RouterMode.Gateway } r && r.Host == router.Host);
        if (!shared) return;
        var i = list.FindIndex(d => d.Step.Id == "sysctl:ip_forward");
        if (i >= 0) list[i] = list[i] with { Step = list[i].Step with { Undo = null } };
    }

    private static IEnumerable<PlanStep> Teardown(List<StepDraft> drafts, ObservedIndex? index)
    {
        for (var i = drafts.Count - 1; i >= 0; i--)
        {
            var draft = drafts[i];
            var step = draft.Step;
            if (step.Undo is null) continue;
            if (index is not null && draft.Observe is not null && !draft.Observe(index).ToUndo) continue;
            yield return new PlanStep(step.Id, $"Undo: {step.Description}", step.Undo, step.Do,
                step.Check is null ? null : Commands.Command.Not(step.Check));
        }
    }

    /// <summary>Ids whose step differs between versions, plus every step on a device whose creation changed (it is re-created).</summary>
    private static HashSet<string> ChangedIds(List<StepDraft> before, List<StepDraft> after)
    {
        var afterById = after.ToDictionary(d => d.Step.Id);
        var beforeById = before.ToDictionary(d => d.Step.Id);
        var changed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var draft in before)
            if (!afterById.TryGetValue(draft.Step.Id, out var next) || next.Step != draft.Step) changed.Add(draft.Step.Id);
        var recreated = before.Concat(after).Where(d => d.Creates && changed.Contains(d.Step.Id)).Select(d => d.Subject).ToHashSet();
        foreach (var draft in before.Concat(after))
            if (recreated.Contains(draft.Subject) && beforeById.ContainsKey(draft.Step.Id)) changed.Add(draft.Step.Id);
        return changed;
    }

    private static Dictionary<HostId, ObservedIndex> Index(IReadOnlyDictionary<HostId, ObservedHost>? observed, IEnumerable<HostId> hosts)
    {
        var result = new Dictionary<HostId, ObservedIndex>();
        if (observed is null) return result;
        foreach (var host in hosts)
            if (observed.TryGetValue(host, out var o)) result[host] = new ObservedIndex(o);
        return result;
    }

    private static ImmutableArray<ValidationError> Validate(
        Segment segment, IReadOnlyDictionary<HostId, HostInfo> hosts, IReadOnlyDictionary<HostId, ObservedHost>? observed, bool forTeardown)
    {
        var errors = new ErrorList();
        SegmentValidator.Validate(segment.Spec, hosts, forTeardown ? null : observed, errors, forTeardown);
        if (errors.Count > 0) return errors.ToImmutable();
        if (segment.Allocation is null) { errors.Add("allocation", ErrorCode.Required, "the segment has no allocation; run the allocator"); return errors.ToImmutable(); }
        if (!InputNormalizer.CheckNoNulls(segment.Allocation, errors)) return errors.ToImmutable();
        AllocationValidator.Check(segment, errors);
        AllocationValidator.CheckAttachments(segment, errors);
        if (forTeardown && !segment.Spec.Attachments.IsDefaultOrEmpty)
        {
            for (var i = 0; i < segment.Spec.Attachments.Length; i++)
                if (observed is null || !observed.ContainsKey(segment.Spec.Attachments[i].Host))
                    errors.Add($"attachments[{i}].host", ErrorCode.Required,
                        $"host {segment.Spec.Attachments[i].Host} has not been observed; detaching needs to know whether the container runs");
        }
        return errors.ToImmutable();
    }
}
