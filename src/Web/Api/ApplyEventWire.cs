using Superbridge.Operations;

namespace Superbridge.Web.Api;

/// <summary>The Server-Sent Events form of an operation's events: an event name and a small JSON body each.</summary>
public static class ApplyEventWire
{
    public static string Name(ApplyEvent e) => e switch
    {
        PreflightFailed => "preflight-failed",
        PlanReady => "plan-ready",
        StepStarted => "step-started",
        StepSkipped => "step-skipped",
        StepSucceeded => "step-succeeded",
        StepFailed => "step-failed",
        RollbackStarted => "rollback-started",
        UndoSucceeded => "undo-succeeded",
        UndoFailed => "undo-failed",
        HostFinished => "host-finished",
        Verified => "verified",
        OperationCompleted => "completed",
        _ => "event",
    };

    public static object Body(ApplyEvent e) => e switch
    {
        PreflightFailed f => new { at = f.At, problems = f.Problems.Select(p => p.ToString()) },
        PlanReady p => new { at = p.At, plan = PlanResponse.From(p.Plan, SegmentOperationKind.Apply) },
        StepStarted s => new { at = s.At, host = s.Host.Value, index = s.Index, stepId = s.StepId, description = s.Description },
        StepSkipped s => Step(s.At, s.Step),
        StepSucceeded s => Step(s.At, s.Step),
        StepFailed s => Step(s.At, s.Step),
        RollbackStarted r => new { at = r.At, cause = r.Cause.Message, host = r.Cause.Host?.Value },
        UndoSucceeded u => Undo(u.At, u.Undo),
        UndoFailed u => Undo(u.At, u.Undo),
        HostFinished h => new { at = h.At, host = h.Host.Value, completed = h.Completed, changed = h.Changed, skipped = h.Skipped },
        Verified v => new { at = v.At, drift = v.Drift },
        OperationCompleted c => new { at = c.At, status = OperationStatusNames.From(c.Result.Status, cancelled: false).Name(), summary = c.Result.Summary },
        _ => new { at = e.At },
    };

    private static object Step(DateTimeOffset at, StepResult s) => new
    {
        at,
        host = s.Host.Value,
        index = s.Index,
        stepId = s.StepId,
        description = s.Description,
        outcome = s.Outcome.Name(),
        command = (s.Run ?? s.Check)?.Command.ToShellLine(),
        exitCode = (s.Run ?? s.Check)?.ExitCode,
        stderr = (s.Run ?? s.Check)?.StandardError,
        error = s.Failure?.Message,
    };

    private static object Undo(DateTimeOffset at, UndoResult u) => new
    {
        at,
        host = u.Host.Value,
        stepId = u.StepId,
        description = u.Description,
        outcome = u.Outcome.Name(),
        command = u.Run?.Command.ToShellLine(),
        exitCode = u.Run?.ExitCode,
        error = u.Failure?.Message,
    };
}
