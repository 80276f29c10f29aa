using System.Text.Json.Serialization;
using System.Collections.Immutable;
using Superbridge.Core.Commands;
using Superbridge.Core.Model;
using Superbridge.Core.Planning;

namespace Superbridge.Operations;

/// <summary>How an operation ended.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ApplyStatus>))]
public enum ApplyStatus
{
    /// <summary>Every step ran or was already done, and the hosts now match the plan (see <see cref="ApplyResult.Drift"/>).</summary>
    [JsonStringEnumMemberName("succeeded")] Succeeded,
    /// <summary>Preflight found a problem; no command that changes anything ran on any host.</summary>
    [JsonStringEnumMemberName("refused")] Refused,
    /// <summary>A step failed; every completed step on every host was undone.</summary>
    [JsonStringEnumMemberName("rolled-back")] RolledBack,
    /// <summary>A step failed and at least one undo failed too (or could not run): the hosts are left partly changed.</summary>
    [JsonStringEnumMemberName("failed")] Failed,
}

/// <summary>What happened to one step.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<StepOutcome>))]
public enum StepOutcome
{
    /// <summary>Its check said the change is already there; it is not ours to undo.</summary>
    [JsonStringEnumMemberName("skipped")] Skipped,
    [JsonStringEnumMemberName("succeeded")] Succeeded,
    [JsonStringEnumMemberName("failed")] Failed,
}

/// <summary>What happened to one completed step's undo during a rollback.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<UndoOutcome>))]
public enum UndoOutcome
{
    [JsonStringEnumMemberName("succeeded")] Succeeded,
    [JsonStringEnumMemberName("failed")] Failed,
    /// <summary>The step leaves nothing to undo on its own (e.g. an MTU on a device the plan created).</summary>
    [JsonStringEnumMemberName("nothing-to-undo")] NothingToUndo,
}

/// <summary>The wire words of step and undo outcomes, as their JSON names.</summary>
public static class OutcomeNames
{
    public static string Name(this StepOutcome outcome) => outcome switch
    {
        StepOutcome.Skipped => "skipped",
        StepOutcome.Succeeded => "succeeded",
        _ => "failed",
    };

    public static string Name(this UndoOutcome outcome) => outcome switch
    {
        UndoOutcome.Succeeded => "succeeded",
        UndoOutcome.Failed => "failed",
        _ => "nothing-to-undo",
    };
}

/// <summary>One command as it ran: exact line, exit code, both outputs, start and duration.</summary>
/// <param name="Error">Set when the command did not run to an exit status (connection lost, timeout).</param>
public sealed record CommandRun(
    Command Command,
    int? ExitCode,
    string StandardOutput,
    string StandardError,
    DateTimeOffset StartedAt,
    TimeSpan Duration,
    string? Error = null)
{
    public bool Succeeded => Error is null && ExitCode == 0;
}

/// <summary>Why an operation stopped: where, the message for the operator, and the command's own words.</summary>
/// <param name="Host">The host where it failed; null for an operation-wide failure (e.g. cancelled).</param>
/// <param name="StepId">The failing step; null when the host failed before any step (unreachable).</param>
/// <param name="CommandError">The failing command's stderr (or the connection error), verbatim.</param>
/// <param name="Kernel">What a kernel error means, when <see cref="KernelErrorTranslator"/> knows it.</param>
public sealed record ApplyFailure(HostId? Host, string? StepId, string Message, string? CommandError = null, KernelErrorExplanation? Kernel = null)
{
    public override string ToString() => Message;
}

/// <summary>One step's result. <see cref="Check"/> is null for steps without a check.</summary>
public sealed record StepResult(
    HostId Host,
    int Index,
    string StepId,
    string Description,
    StepOutcome Outcome,
    CommandRun? Check,
    CommandRun? Run,
    ApplyFailure? Failure = null);

/// <summary>One undo of a completed step during rollback.</summary>
public sealed record UndoResult(HostId Host, string StepId, string Description, UndoOutcome Outcome, CommandRun? Run, ApplyFailure? Failure = null);

/// <summary>Everything done on one host, in order: the forward steps, then (after a failure) the undos in the order they ran.</summary>
public sealed record HostApplyResult(HostId Host, ImmutableArray<StepResult> Steps, ImmutableArray<UndoResult> Undone)
{
    /// <summary>Steps that changed the host (not skipped, not failed).</summary>
    public int ChangedSteps => Steps.Count(s => s.Outcome == StepOutcome.Succeeded);
}

/// <summary>A reason preflight refused the operation, per host when it concerns one.</summary>
public sealed record PreflightProblem(HostId? Host, string Message)
{
    public override string ToString() => Host is { } host ? $"{host}: {Message}" : Message;
}

/// <summary>The outcome of one operation on a segment.</summary>
public sealed record ApplyResult
{
    public required string Segment { get; init; }
    public required SegmentOperationKind Operation { get; init; }
    public required ApplyStatus Status { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public required DateTimeOffset FinishedAt { get; init; }

    /// <summary>Per host, in plan order; empty when preflight refused.</summary>
    public ImmutableArray<HostApplyResult> Hosts { get; init; } = [];

    /// <summary>The first failure (what failed and why); null on success.</summary>
    public ApplyFailure? Error { get; init; }

    /// <summary>Why preflight refused (every problem found, not only the first).</summary>
    public ImmutableArray<PreflightProblem> Problems { get; init; } = [];

    /// <summary>The plan that ran (null when refused before planning).</summary>
    public SegmentPlan? Plan { get; init; }

    /// <summary>
    /// After a successful run: what the fresh inventory says still differs from the plan (re-planning did not come
    /// out empty). Empty means the hosts match.
    /// </summary>
    public ImmutableArray<string> Drift { get; init; } = [];

    /// <summary>Refused because the plan is no longer the one the caller previewed (<see cref="Plan"/> is the new one).</summary>
    public bool PlanChanged { get; init; }

    public bool Succeeded => Status == ApplyStatus.Succeeded;

    /// <summary>Undos that ran, over all hosts.</summary>
    public IEnumerable<UndoResult> Undone => Hosts.SelectMany(h => h.Undone);

    /// <summary>One line for logs and exceptions.</summary>
    public string Summary => Status switch
    {
        ApplyStatus.Succeeded when Drift.IsEmpty => $"{Operation} of {Segment} succeeded",
        ApplyStatus.Succeeded => $"{Operation} of {Segment} ran, but the hosts still differ: {string.Join("; ", Drift)}",
        ApplyStatus.Refused => $"{Operation} of {Segment} refused: {string.Join("; ", Problems)}",
        ApplyStatus.RolledBack => $"{Operation} of {Segment} failed and was rolled back: {Error}",
        _ => $"{Operation} of {Segment} failed and could not be fully rolled back: {Error}",
    };
}
