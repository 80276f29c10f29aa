using System.Collections.Immutable;
using Superbridge.Core.Model;
using Superbridge.Operations;
using Superbridge.Ssh.Apply;

namespace Superbridge.Web.Topology;

public enum ApplyLogKind
{
    Running,
    Succeeded,
    Skipped,
    Failed,
    Undone,
    UndoFailed,
    NothingToUndo,
}

/// <summary>One step (or undo) in a host's log. <see cref="Command"/> is the exact line that ran.</summary>
public sealed record ApplyLogLine
{
    public required DateTimeOffset At { get; init; }
    public required ApplyLogKind Kind { get; init; }
    public required string StepId { get; init; }
    public required string Description { get; init; }
    public string? Command { get; init; }
    public int? ExitCode { get; init; }
    /// <summary>The command's stderr, or why it did not run to an exit status.</summary>
    public string? Error { get; init; }
    public TimeSpan? Duration { get; init; }
}

public sealed record HostLog(HostId Host, ImmutableArray<ApplyLogLine> Lines)
{
    /// <summary>Null while its steps run; then whether they all completed.</summary>
    public bool? Completed { get; init; }
    public int Changed { get; init; }
    public int Skipped { get; init; }
}

/// <summary>
/// A live apply or teardown folded from its events, one immutable state per event: the lines of each host in the
/// order they happened (a started step's line turns into its outcome), progress over the plan's steps, the rollback,
/// and the result at the end.
/// </summary>
public sealed record ApplyLogModel
{
    public static ApplyLogModel Empty { get; } = new();

    public ImmutableArray<HostLog> Hosts { get; init; } = [];
    public int TotalSteps { get; init; }
    public int FinishedSteps { get; init; }
    /// <summary>Why nothing ran (preflight or validation); empty otherwise.</summary>
    public ImmutableArray<string> Refusals { get; init; } = [];
    public ApplyFailure? RollbackCause { get; init; }
    public ImmutableArray<string>? Drift { get; init; }
    public ApplyResult? Result { get; init; }

    public bool IsFinished => Result is not null || !Refusals.IsEmpty;
    public bool IsRollingBack => RollbackCause is not null && Result is null;

    /// <summary>0..100 over the plan's steps; 100 once finished.</summary>
    public double Percent => IsFinished ? 100 : TotalSteps == 0 ? 0 : Math.Round(100.0 * FinishedSteps / TotalSteps, 1);

    public HostLog? For(HostId host) => Hosts.FirstOrDefault(h => h.Host == host);

    public ApplyLogModel With(ApplyEvent e) => e switch
    {
        PlanReady ready => this with
        {
            TotalSteps = ready.Plan.StepCount,
            Hosts = [.. ready.Plan.Hosts.Select(h => For(h.Host) ?? new HostLog(h.Host, []))],
        },
        StepStarted started => Update(started.Host, log => log with
        {
            Lines = log.Lines.Add(new ApplyLogLine
            {
                At = started.At, Kind = ApplyLogKind.Running, StepId = started.StepId, Description = started.Description,
            }),
        }),
        StepSucceeded done => Finish(done.At, done.Step, ApplyLogKind.Succeeded),
        StepSkipped skipped => Finish(skipped.At, skipped.Step, ApplyLogKind.Skipped),
        StepFailed failed => Finish(failed.At, failed.Step, ApplyLogKind.Failed),
        RollbackStarted rollback => this with { RollbackCause = rollback.Cause },
        UndoSucceeded undo => Undo(undo.At, undo.Undo),
        UndoFailed undo => Undo(undo.At, undo.Undo),
        HostFinished host => Update(host.Host, log => log with { Completed = host.Completed, Changed = host.Changed, Skipped = host.Skipped }),
        Verified verified => this with { Drift = verified.Drift },
        PreflightFailed refused => this with { Refusals = [.. refused.Problems.Select(p => p.ToString())] },
        ChangeRefused refused => this with { Refusals = refused.Reasons },
        OperationCompleted completed => this with
        {
            Result = completed.Result,
            Refusals = completed.Result.Status == ApplyStatus.Refused && Refusals.IsEmpty
                ? [.. completed.Result.Problems.Select(p => p.ToString())]
                : Refusals,
        },
        _ => this,
    };

    private ApplyLogModel Finish(DateTimeOffset at, StepResult step, ApplyLogKind kind)
    {
        var run = step.Run ?? step.Check;
        var line = new ApplyLogLine
        {
            At = at,
            Kind = kind,
            StepId = step.StepId,
            Description = step.Description,
            Command = run?.Command.ToShellLine(),
            ExitCode = run?.ExitCode,
            Error = kind == ApplyLogKind.Failed ? Trimmed(run?.Error ?? run?.StandardError) ?? step.Failure?.Message : null,
            Duration = run?.Duration,
        };
        return Update(step.Host, log =>
        {
            var index = log.Lines.FindLastIndex(l => l.StepId == step.StepId && l.Kind == ApplyLogKind.Running);
            return log with { Lines = index >= 0 ? log.Lines.SetItem(index, line) : log.Lines.Add(line) };
        }) with { FinishedSteps = FinishedSteps + 1 };
    }

    private ApplyLogModel Undo(DateTimeOffset at, UndoResult undo) => Update(undo.Host, log => log with
    {
        Lines = log.Lines.Add(new ApplyLogLine
        {
            At = at,
            Kind = undo.Outcome switch
            {
                UndoOutcome.Succeeded => ApplyLogKind.Undone,
                UndoOutcome.NothingToUndo => ApplyLogKind.NothingToUndo,
                _ => ApplyLogKind.UndoFailed,
            },
            StepId = undo.StepId,
            Description = undo.Description,
            Command = undo.Run?.Command.ToShellLine(),
            ExitCode = undo.Run?.ExitCode,
            Error = undo.Outcome == UndoOutcome.Failed ? Trimmed(undo.Run?.Error ?? undo.Run?.StandardError) ?? undo.Failure?.Message : null,
            Duration = undo.Run?.Duration,
        }),
    });

    private ApplyLogModel Update(HostId host, Func<HostLog, HostLog> change)
    {
        var index = Hosts.FindIndex(h => h.Host == host);
        return index >= 0
            ? this with { Hosts = Hosts.SetItem(index, change(Hosts[index])) }
            : this with { Hosts = Hosts.Add(change(new HostLog(host, []))) };
    }

    private static string? Trimmed(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}

internal static class ImmutableArrayIndex
{
    public static int FindIndex<T>(this ImmutableArray<T> items, Func<T, bool> match)
    {
        for (var i = 0; i < items.Length; i++) if (match(items[i])) return i;
        return -1;
    }

    public static int FindLastIndex<T>(this ImmutableArray<T> items, Func<T, bool> match)
    {
        for (var i = items.Length - 1; i >= 0; i--) if (match(items[i])) return i;
        return -1;
    }
}
