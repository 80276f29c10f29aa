using Superbridge.Core.Commands;
using Superbridge.Core.Programs;
using static Superbridge.Core.Tests.Programs.ProgramShell;

namespace Superbridge.Core.Tests.Programs;

/// <summary>The verify program run for real: checks only.</summary>
public class VerifyProgramTests
{
    [Theory]
    [MemberData(nameof(Shells), MemberType = typeof(ProgramShell))]
    public void Reports_present_missing_and_unchecked_and_never_runs_a_step(string shell)
    {
        using var dir = new WorkDir();
        File.WriteAllText(dir["present"], "kept");
        var plan = Plan(
            Step("file:present", Command.Of("touch", dir["do-0"]), Command.Of("rm", "-f", dir["present"]), Command.Of("test", "-e", dir["present"])),
            Step("file:absent", Command.Of("touch", dir["do-1"]), Command.Of("touch", dir["undo-1"]), Command.Of("test", "-e", dir["absent"])),
            Step("nocheck:2", Command.Of("touch", dir["do-2"]), Command.Of("touch", dir["undo-2"])),
            Step("why:3", Command.Of("touch", dir["do-3"]), check: Sh("echo look >&1; echo why >&2; exit 2")));
        var before = Snapshot(dir);

        var run = Run(shell, HostProgram.Verify(plan), dir.Path);

        Assert.Equal([MarkerOutcome.Present, MarkerOutcome.Missing, MarkerOutcome.Unchecked, MarkerOutcome.Missing], run.Outcomes);
        Assert.Equal(0, run.Marker(0).ExitCode);
        Assert.Equal(1, run.Marker(1).ExitCode);
        Assert.Null(run.Marker(2).ExitCode);
        Assert.Equal(2, run.Marker(3).ExitCode);
        Assert.Equal("look\n", run.Marker(3).StandardOutput);
        Assert.Equal("why\n", run.Marker(3).StandardError);
        Assert.Equal(before, Snapshot(dir));
        Assert.Equal(ProgramMarkers.StatusFailed, run.End);
        Assert.Equal(1, run.ExitCode);
    }

    [Theory]
    [MemberData(nameof(Shells), MemberType = typeof(ProgramShell))]
    public void Ends_with_status_zero_when_everything_is_present(string shell)
    {
        using var dir = new WorkDir();
        var plan = Plan(
            Step("true:0", Command.Of("false"), check: Command.Of("true")),
            Step("gone:1", Command.Of("false"), check: Command.Not(Command.Of("test", "-e", dir["absent"]))),
            Step("nocheck:2", Command.Of("false")));

        var run = Run(shell, HostProgram.Verify(plan), dir.Path);

        Assert.Equal([MarkerOutcome.Present, MarkerOutcome.Present, MarkerOutcome.Unchecked], run.Outcomes);
        Assert.Equal(0, run.End);
        Assert.Equal(0, run.ExitCode);
    }

    /// <summary>Every file under the work dir but the programs' TMPDIR, with its content.</summary>
    private static string Snapshot(WorkDir dir) => string.Join("\n",
        Directory.GetFileSystemEntries(dir.Path, "*", SearchOption.AllDirectories)
            .Where(p => !p.StartsWith(dir["tmp"], StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(p => p + "=" + (File.Exists(p) ? File.ReadAllText(p) : "<dir>")));
}
