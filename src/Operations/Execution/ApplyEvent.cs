using System.Collections.Immutable;
using Superbridge.Core.Model;
using Superbridge.Core.Planning;

namespace Superbridge.Operations;

/// <summary>
/// Progress of an operation, in the order it happens, for a live log. <see cref="At"/> comes from the applier's
/// <see cref="TimeProvider"/>. The last event of every operation is <see cref="OperationCompleted"/>.
/// </summary>
public abstract record ApplyEvent(DateTimeOffset At);

/// <summary>Preflight refused: nothing ran.</summary>
public sealed record PreflightFailed(DateTimeOffset At, ImmutableArray<PreflightProblem> Problems) : ApplyEvent(At);

/// <summary>Preflight passed; this plan is about to run.</summary>
public sealed record PlanReady(DateTimeOffset At, SegmentPlan Plan) : ApplyEvent(At);

public sealed record StepStarted(DateTimeOffset At, HostId Host, int Index, string StepId, string Description) : ApplyEvent(At);

/// <summary>The step's check said it is already done.</summary>
public sealed record StepSkipped(DateTimeOffset At, StepResult Step) : ApplyEvent(At);

public sealed record StepSucceeded(DateTimeOffset At, StepResult Step) : ApplyEvent(At);

public sealed record StepFailed(DateTimeOffset At, StepResult Step) : ApplyEvent(At);

/// <summary>A failure (<see cref="Cause"/>) starts undoing every completed step on every host.</summary>
public sealed record RollbackStarted(DateTimeOffset At, ApplyFailure Cause) : ApplyEvent(At);

public sealed record UndoSucceeded(DateTimeOffset At, UndoResult Undo) : ApplyEvent(At);

public sealed record UndoFailed(DateTimeOffset At, UndoResult Undo) : ApplyEvent(At);

/// <summary>A host's forward steps are over (all done, or stopped by a failure here or elsewhere).</summary>
public sealed record HostFinished(DateTimeOffset At, HostId Host, bool Completed, int Changed, int Skipped) : ApplyEvent(At);

/// <summary>The fresh inventory after the run was compared with the plan; <see cref="Drift"/> empty means they match.</summary>
public sealed record Verified(DateTimeOffset At, ImmutableArray<string> Drift) : ApplyEvent(At);

public sealed record OperationCompleted(DateTimeOffset At, ApplyResult Result) : ApplyEvent(At);
