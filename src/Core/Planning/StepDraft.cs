using Superbridge.Core.Observed;

namespace Superbridge.Core.Planning;

/// <summary>What observed state says about one step's effect.</summary>
/// <param name="Present">The effect is already there (setup can skip it; teardown must undo it).</param>
/// <param name="Drift">A difference worth reporting, with or without <paramref name="Present"/>.</param>
/// <param name="Stale">Not what the segment wants (setup redoes it), but there (teardown still removes it).</param>
internal readonly record struct Observation(bool Present, string? Drift = null, DriftKind Kind = DriftKind.Mismatch, bool Stale = false)
{
    public static Observation Done => new(true);
    public static Observation Absent => new(false);
    public static Observation Missing(string detail) => new(false, detail, DriftKind.Missing);
    public static Observation Outdated(string detail) => new(false, detail, DriftKind.Mismatch, Stale: true);

    /// <summary>Whether a teardown has something to remove.</summary>
    public bool ToUndo => Present || Stale;
}

/// <summary>
/// A step while planning: the public step plus how to read its effect from the observed host.
/// <see cref="Subject"/> is the device (or resource) it acts on; <see cref="Creates"/> marks the step whose
/// replacement invalidates every later step on that subject.
/// </summary>
internal readonly record struct StepDraft(PlanStep Step, string Subject, Func<ObservedIndex, Observation>? Observe, bool Creates = false);
