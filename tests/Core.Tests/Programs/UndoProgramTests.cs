using Superbridge.Core.Commands;
using Superbridge.Core.Programs;
using static Superbridge.Core.Tests.Programs.ProgramShell;

namespace Superbridge.Core.Tests.Programs;

/// <summary>The rollback program run for real: the order given, past failures, already-undone by the check.</summary>
public class UndoProgramTests
{
    [Theory]
    [MemberData(nameof(Shells), MemberType = typeof(ProgramShell))]
    public void Undoes_in_the_order_given_and_goes_on_past_a_failed_undo(string shell)
    {
        using var dir = new WorkDir();
        File.WriteAllText(dir["a"], "");
        var log = PosixShell.Quote(dir["log"]);
        var plan = Plan(
            Step("file:a", Command.Of("touch", dir["a"]), Sh($"rm -f {PosixShell.Quote(dir["a"])} && echo 0 >>{log}"), Command.Of("test", "-e", dir["a"])),
            Step("file:gone", Command.Of("true"), Command.Of("touch", dir["undo-1-ran"]), Command.Of("test", "-e", dir["absent"])),
            Step("module:x", Command.Of("true")),
            Step("boom:3", Command.Of("true"), Sh($"echo 3 >>{log}; echo boom >&2; exit 4")),
            Step("log:4", Command.Of("true"), Sh($"echo 4 >>{log}")));

        var run = Run(shell, HostProgram.Undo(plan, [3, 4, 0, 1, 2]), dir.Path);

        Assert.Equal([3, 4, 0, 1, 2], run.Indexes);
        Assert.Equal(
            [MarkerOutcome.UndoFailed, MarkerOutcome.Undone, MarkerOutcome.Undone, MarkerOutcome.AlreadyUndone, MarkerOutcome.NothingToUndo],
            run.Outcomes);
        Assert.Equal(["boom:3", "log:4", "file:a", "file:gone", "module:x"], run.Markers.Select(m => m.StepId));
        Assert.Equal("3\n4\n0\n", File.ReadAllText(dir["log"]));
        Assert.Equal(4, run.Marker(3).ExitCode);
        Assert.Equal("boom\n", run.Marker(3).StandardError);
        Assert.Equal(0, run.Marker(4).ExitCode);
        Assert.NotEqual(0, run.Marker(1).ExitCode);
        Assert.Null(run.Marker(2).ExitCode);
        Assert.False(dir.Has("a"));
        Assert.False(dir.Has("undo-1-ran"));
        Assert.Equal(ProgramMarkers.StatusFailed, run.End);
        Assert.Equal(1, run.ExitCode);
        Assert.Empty(dir.TempLeftovers);
    }

    [Theory]
    [MemberData(nameof(Shells), MemberType = typeof(ProgramShell))]
    public void Ends_with_status_zero_when_every_undo_succeeds_or_had_nothing_to_do(string shell)
    {
        using var dir = new WorkDir();
        File.WriteAllText(dir["b"], "");
        var plan = Plan(
            Step("file:a", Command.Of("true"), Command.Of("rm", "-f", dir["a"]), Command.Of("test", "-e", dir["a"])),
            Step("file:b", Command.Of("true"), Command.Of("rm", "-f", dir["b"]), Command.Of("test", "-e", dir["b"])),
            Step("none:2", Command.Of("true")));

        var run = Run(shell, HostProgram.Undo(plan, [2, 1, 0]), dir.Path);

        Assert.Equal([MarkerOutcome.NothingToUndo, MarkerOutcome.Undone, MarkerOutcome.AlreadyUndone], run.Outcomes);
        Assert.False(dir.Has("b"));
        Assert.Equal(0, run.End);
        Assert.Equal(0, run.ExitCode);
    }

    [Theory]
    [MemberData(nameof(Shells), MemberType = typeof(ProgramShell))]
    public void Undo_of_a_teardown_step_runs_when_its_negated_check_passes(string shell)
    {
        using var dir = new WorkDir();
        // A teardown step: Do removes, Undo re-creates, Check = Not(setup check). Rolling it back re-creates the file.
        var setupCheck = Command.Of("test", "-e", dir["f"]);
        var plan = Plan(Step("file:f", Command.Of("rm", "-f", dir["f"]), Command.Of("touch", dir["f"]), Command.Not(setupCheck)));

        var first = Run(shell, HostProgram.Undo(plan, [0]), dir.Path);
        var second = Run(shell, HostProgram.Undo(plan, [0]), dir.Path);

        Assert.Equal([MarkerOutcome.Undone], first.Outcomes);
        Assert.Equal([MarkerOutcome.AlreadyUndone], second.Outcomes);
        Assert.True(dir.Has("f"));
    }

    [Fact]
    public void Refuses_an_index_that_is_not_a_step_of_the_plan()
    {
        var plan = Plan(Step("a:0", Command.Of("true")));
        Assert.Throws<ArgumentOutOfRangeException>(() => HostProgram.Undo(plan, [1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => HostProgram.Undo(plan, [-1]));
    }

    [Fact]
    public void Refuses_a_step_listed_twice()
    {
        var plan = Plan(Step("a:0", Command.Of("true"), Command.Of("true")), Step("b:1", Command.Of("true")));
        Assert.Throws<ArgumentException>(() => HostProgram.Undo(plan, [1, 0, 1]));
    }
}
