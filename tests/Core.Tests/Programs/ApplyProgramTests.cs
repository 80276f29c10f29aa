using Superbridge.Core.Commands;
using Superbridge.Core.Programs;
using static Superbridge.Core.Tests.Programs.ProgramShell;

namespace Superbridge.Core.Tests.Programs;

/// <summary>The apply program run for real under bash, dash and busybox ash.</summary>
public class ApplyProgramTests
{
    [Theory]
    [MemberData(nameof(Shells), MemberType = typeof(ProgramShell))]
    public void Skips_a_step_whose_check_passes_runs_the_rest_and_stops_at_the_first_failure(string shell)
    {
        using var dir = new WorkDir();
        var plan = Plan(
            Step("done:already", Command.Of("touch", dir["not-run-0"]), check: Command.Of("true")),
            Step("file:f1", Command.Of("touch", dir["f1"])),
            Step("boom:2", Sh("echo out; echo err >&2; exit 3")),
            Step("file:f3", Command.Of("touch", dir["f3"])));

        var run = Run(shell, HostProgram.Apply(plan), dir.Path);

        Assert.Equal([MarkerOutcome.Skipped, MarkerOutcome.Succeeded, MarkerOutcome.Failed], run.Outcomes);
        Assert.Equal([0, 1, 2], run.Indexes);
        Assert.Equal(["done:already", "file:f1", "boom:2"], run.Markers.Select(m => m.StepId));
        Assert.Equal(0, run.Marker(0).ExitCode);
        Assert.Equal(0, run.Marker(1).ExitCode);
        var failed = run.Marker(2);
        Assert.Equal(3, failed.ExitCode);
        Assert.Equal("out\n", failed.StandardOutput);
        Assert.Equal("err\n", failed.StandardError);
        Assert.False(dir.Has("not-run-0"));
        Assert.True(dir.Has("f1"));
        Assert.False(dir.Has("f3"));
        Assert.Equal(ProgramMarkers.StatusFailed, run.End);
        Assert.Equal(1, run.ExitCode);
        Assert.Empty(dir.TempLeftovers);
    }

    [Theory]
    [MemberData(nameof(Shells), MemberType = typeof(ProgramShell))]
    public void A_step_whose_check_fails_runs_and_is_skipped_the_second_time(string shell)
    {
        using var dir = new WorkDir();
        var plan = Plan(
            Step("file:a", Command.Of("touch", dir["a"]), Command.Of("rm", "-f", dir["a"]), Command.Of("test", "-e", dir["a"])),
            Step("file:b", Command.Of("touch", dir["b"]), Command.Of("rm", "-f", dir["b"]), Command.Of("test", "-e", dir["b"])));
        var program = HostProgram.Apply(plan);

        var first = Run(shell, program, dir.Path);
        var second = Run(shell, program, dir.Path);

        Assert.Equal([MarkerOutcome.Succeeded, MarkerOutcome.Succeeded], first.Outcomes);
        Assert.Equal([MarkerOutcome.Skipped, MarkerOutcome.Skipped], second.Outcomes);
        Assert.Equal(ProgramMarkers.StatusOk, first.End);
        Assert.Equal(ProgramMarkers.StatusOk, second.End);
        Assert.Equal(0, second.ExitCode);
        Assert.True(dir.Has("a") && dir.Has("b"));
        Assert.All(first.Markers, m => Assert.Equal(("", ""), (m.StandardOutput, m.StandardError)));
    }

    [Theory]
    [MemberData(nameof(Shells), MemberType = typeof(ProgramShell))]
    public void A_negated_check_skips_when_the_thing_is_absent_and_runs_when_it_is_there(string shell)
    {
        using var dir = new WorkDir();
        File.WriteAllText(dir["present"], "");
        var plan = Plan(
            Step("gone:absent", Command.Of("touch", dir["ran-absent"]), check: Command.Not(Command.Of("test", "-e", dir["absent"]))),
            Step("gone:present", Command.Of("rm", "-f", dir["present"]), check: Command.Not(Command.Of("test", "-e", dir["present"]))),
            Step("twice:negated", Command.Of("touch", dir["ran-twice"]), check: Command.Not(Command.Not(Command.Of("test", "-e", dir["absent"])))));

        var run = Run(shell, HostProgram.Apply(plan), dir.Path);

        Assert.Equal([MarkerOutcome.Skipped, MarkerOutcome.Succeeded, MarkerOutcome.Succeeded], run.Outcomes);
        Assert.False(dir.Has("ran-absent"));
        Assert.False(dir.Has("present"));
        Assert.True(dir.Has("ran-twice"));
    }

    [Theory]
    [MemberData(nameof(Shells), MemberType = typeof(ProgramShell))]
    public void An_empty_plan_ends_at_once_with_status_zero(string shell)
    {
        using var dir = new WorkDir();
        var run = Run(shell, HostProgram.Apply(Plan()), dir.Path);
        Assert.Empty(run.Markers);
        Assert.Equal(0, run.End);
        Assert.Equal(0, run.ExitCode);
    }

    [Theory]
    [MemberData(nameof(Shells), MemberType = typeof(ProgramShell))]
    public void Markers_are_printed_as_each_step_ends_not_when_the_program_ends(string shell)
    {
        using var dir = new WorkDir();
        // Step 1 waits until the marker of step 0 is on the program's stdout, which the test copies to a file.
        var plan = Plan(
            Step("first:0", Command.Of("true")),
            Step("wait:1", Sh($"i=0; while ! grep -q '^SBSTEP 0 ' {PosixShell.Quote(dir["seen"])} 2>/dev/null; do i=$((i+1)); [ $i -lt 100 ] || exit 9; sleep 0.1; done")));

        var run = Run(shell, HostProgram.Apply(plan), dir.Path, whileRunning: process =>
        {
            Assert.StartsWith("SBDIR ", process.StandardOutput.ReadLine());
            var first = process.StandardOutput.ReadLine();
            File.WriteAllText(dir["seen"], first + "\n");
        });

        // The first marker was taken by the copy; the rest is step 1 succeeding because it saw it in time.
        Assert.StartsWith("SBSTEP 0 first:0 succeeded 0 ", File.ReadAllText(dir["seen"]));
        Assert.Equal([MarkerOutcome.Succeeded], run.Outcomes);
        Assert.Equal(1, run.Markers[0].Index);
        Assert.Equal(0, run.End);
    }

    [Theory]
    [MemberData(nameof(Shells), MemberType = typeof(ProgramShell))]
    public void Duration_covers_the_step_in_milliseconds(string shell)
    {
        using var dir = new WorkDir();
        var run = Run(shell, HostProgram.Apply(Plan(Step("quick:0", Command.Of("true")), Step("sleep:1", Command.Of("sleep", "0.3")))), dir.Path);
        Assert.InRange(run.Marker(0).DurationMs, 0, 200);
        Assert.InRange(run.Marker(1).DurationMs, 250, 10_000);
    }

    [Theory]
    [MemberData(nameof(Shells), MemberType = typeof(ProgramShell))]
    public void A_stop_file_in_the_announced_directory_ends_the_program_after_the_step_in_progress(string shell)
    {
        using var dir = new WorkDir();
        var plan = Plan(
            Step("wait:go", Sh($"touch '{dir["started"]}'; while [ ! -e '{dir["go"]}' ]; do sleep 0.02; done; echo waited")),
            Step("file:after", Command.Of("touch", dir["after"])));
        string? announced = null;

        var run = Run(shell, HostProgram.Apply(plan), dir.Path, whileRunning: process =>
        {
            var first = process.StandardOutput.ReadLine()!;
            Assert.True(ProgramMarkers.TryParseDirectory(first, out var directory), first);
            announced = directory;
            for (var i = 0; i < 500 && !dir.Has("started"); i++) Thread.Sleep(20); // the first step is in progress
            File.WriteAllText(ProgramMarkers.StopFile(directory), "");
            File.WriteAllText(dir["go"], ""); // the step in progress is finished, not cut
        });

        Assert.StartsWith(dir["tmp"] + "/superbridge.", announced);
        Assert.Equal([MarkerOutcome.Succeeded], run.Outcomes);
        Assert.Equal("waited\n", run.Marker(0).StandardOutput);
        Assert.False(dir.Has("after"));
        Assert.Equal(ProgramMarkers.StatusStopped, run.End);
        Assert.Empty(dir.TempLeftovers);
    }
}
