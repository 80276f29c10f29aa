using Superbridge.Core.Commands;
using Superbridge.Core.Programs;
using static Superbridge.Core.Tests.Programs.ProgramShell;

namespace Superbridge.Core.Tests.Programs;

/// <summary>A program stored as one audit entry reads back as its steps, each command as it ran with its outcome.</summary>
public class ProgramTranscriptTests
{
    [Fact]
    public void An_apply_program_reads_back_as_its_steps_with_the_commands_it_ran_and_their_outcomes()
    {
        using var dir = new WorkDir();
        var plan = Plan(
            Step("done:already", Command.Of("touch", dir["not-run"]), check: Command.Of("test", "-d", dir.Path)),
            Step("file:it's", Command.Of("touch", dir["it's"])),
            Step("boom:2", Sh("echo err >&2; exit 3")),
            Step("file:f3", Command.Of("touch", dir["f3"])));
        var program = HostProgram.Apply(plan);
        var run = Run("dash", program, dir.Path);

        var steps = ProgramTranscript.Read(program, run.Stdout);

        Assert.True(ProgramTranscript.IsProgram(program));
        Assert.Equal([0, 1, 2, 3], steps.Select(s => s.Index));
        Assert.Equal(["done:already: Step done:already", "file:it's: Step file:it's", "boom:2: Step boom:2", "file:f3: Step file:f3"], steps.Select(s => s.Title));
        Assert.Equal(HostProgram.Render(Command.Of("test", "-d", dir.Path)), steps[0].Check);
        Assert.Equal(HostProgram.Render(Command.Of("touch", dir["not-run"])), steps[0].Command);
        Assert.Null(steps[1].Check);
        Assert.Equal(HostProgram.Render(Command.Of("touch", dir["it's"])), steps[1].Command);
        Assert.Equal([MarkerOutcome.Skipped, MarkerOutcome.Succeeded, MarkerOutcome.Failed], steps.Take(3).Select(s => s.Marker!.Outcome));
        Assert.Equal("err\n", steps[2].Marker!.StandardError);
        Assert.Null(steps[3].Marker); // the program stopped at the failure
    }

    [Fact]
    public void An_undo_program_reads_back_in_undo_order_with_nothing_to_undo_steps_having_no_command()
    {
        using var dir = new WorkDir();
        var plan = Plan(
            Step("file:a", Command.Of("touch", dir["a"]), Command.Of("rm", "-f", dir["a"]), Command.Of("test", "-e", dir["a"])),
            Step("note:b", Command.Of("true")));
        var program = HostProgram.Undo(plan, [1, 0]);
        var run = Run("busybox", program, dir.Path);

        var steps = ProgramTranscript.Read(program, run.Stdout);

        Assert.Equal([1, 0], steps.Select(s => s.Index));
        Assert.Null(steps[0].Command);
        Assert.Equal(MarkerOutcome.NothingToUndo, steps[0].Marker!.Outcome);
        Assert.Equal(HostProgram.Render(Command.Of("rm", "-f", dir["a"])), steps[1].Command);
        Assert.Equal(MarkerOutcome.AlreadyUndone, steps[1].Marker!.Outcome);
    }

    [Fact]
    public void Text_that_is_not_a_host_program_is_not_read_as_one()
    {
        Assert.False(ProgramTranscript.IsProgram("#!/bin/sh\necho hi\n"));
        Assert.False(ProgramTranscript.IsProgram(null));
    }
}
