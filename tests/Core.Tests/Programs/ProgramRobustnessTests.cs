using System.Diagnostics;
using Superbridge.Core.Commands;
using Superbridge.Core.Programs;
using static Superbridge.Core.Tests.Programs.ProgramShell;

namespace Superbridge.Core.Tests.Programs;

/// <summary>What real hosts do to a program: stdin shared with the script, cut transfers, signals, odd argv[0]s.</summary>
public class ProgramRobustnessTests
{
    [Theory]
    [MemberData(nameof(Shells), MemberType = typeof(ProgramShell))]
    public void A_command_reading_stdin_does_not_eat_the_program(string shell)
    {
        using var dir = new WorkDir();
        var plan = Plan(
            Step("cat:0", Command.Of("cat")),
            Step("read:1", Sh("read line; echo \"[$line]\"")),
            Step("file:2", Command.Of("touch", dir["after"])));

        var run = Run(shell, HostProgram.Apply(plan), dir.Path);

        Assert.Equal([MarkerOutcome.Succeeded, MarkerOutcome.Succeeded, MarkerOutcome.Succeeded], run.Outcomes);
        Assert.Equal("", run.Marker(0).StandardOutput);
        Assert.Equal("[]\n", run.Marker(1).StandardOutput);
        Assert.True(dir.Has("after"));
        Assert.Equal(0, run.End);
    }

    [Theory]
    [MemberData(nameof(Shells), MemberType = typeof(ProgramShell))]
    public void A_hangup_neither_stops_the_running_command_nor_the_program(string shell)
    {
        using var dir = new WorkDir();
        // As `timeout` passes on the hangup of a dropped connection to its whole group: the program and its command.
        var plan = Plan(
            Step("hup:0", Sh($"kill -HUP $PPID $$; sleep 0.2; touch {dir["survived"]}")),
            Step("file:1", Command.Of("touch", dir["after"])));

        var run = Run(shell, HostProgram.Apply(plan), dir.Path);

        Assert.Equal([MarkerOutcome.Succeeded, MarkerOutcome.Succeeded], run.Outcomes);
        Assert.True(dir.Has("survived"));
        Assert.True(dir.Has("after"));
        Assert.Equal(0, run.End);
    }

    public static TheoryData<string, double> Cuts()
    {
        var data = new TheoryData<string, double>();
        foreach (var shell in new[] { "bash", "dash", "busybox" })
            foreach (var at in new[] { 0.1, 0.5, 0.9, 0.997, 0.999 })
                data.Add(shell, at);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cuts))]
    public void A_program_cut_short_in_transit_runs_nothing(string shell, double at)
    {
        using var dir = new WorkDir();
        var plan = Plan([.. Enumerable.Range(0, 20).Select(i => Step($"file:{i}", Command.Of("touch", dir[$"f{i}"])))]);
        var program = HostProgram.Apply(plan);

        var run = Run(shell, program[..(int)(program.Length * at)], dir.Path);

        Assert.Empty(run.Markers);
        Assert.Null(run.End);
        Assert.DoesNotContain(Enumerable.Range(0, 20), i => dir.Has($"f{i}"));
    }

    [Theory]
    [MemberData(nameof(Shells), MemberType = typeof(ProgramShell))]
    public void A_program_cut_anywhere_in_its_last_two_lines_runs_nothing(string shell)
    {
        using var dir = new WorkDir();
        var program = HostProgram.Apply(Plan(Step("file:0", Command.Of("touch", dir["f0"]))));
        var lastTwo = program[..program.TrimEnd('\n').LastIndexOf('\n')].LastIndexOf('\n');

        for (var cut = lastTwo; cut < program.TrimEnd('\n').Length; cut++)
        {
            var run = Run(shell, program[..cut], dir.Path);
            Assert.True(run.Markers.IsEmpty && run.End is null, $"cut at {cut} ran: ...{program[(cut - 10)..cut]}");
        }
        Assert.False(dir.Has("f0"));
        Assert.Equal(0, Run(shell, program.TrimEnd('\n'), dir.Path).End);
        Assert.True(dir.Has("f0"));
    }

    public static TheoryData<string, string[], int> StateBuiltins()
    {
        var data = new TheoryData<string, string[], int>();
        foreach (var shell in new[] { "bash", "dash", "busybox" })
        {
            data.Add(shell, ["exit", "7"], 7);
            data.Add(shell, ["return", "5"], 5);
            data.Add(shell, ["exec", "sh", "-c", "exit 6"], 6);
            data.Add(shell, ["eval", "exit 8"], 8);
            data.Add(shell, ["set", "-e"], 0);
            data.Add(shell, ["cd", "/"], 0);
            data.Add(shell, ["trap", "", "EXIT"], 0);
            data.Add(shell, ["unset", "sb_o"], 0);
            data.Add(shell, ["sb_end", "0"], 127);
            data.Add(shell, ["if"], 127);
            data.Add(shell, ["A=b"], 127);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(StateBuiltins))]
    public void A_builtin_or_keyword_as_program_acts_like_a_command_and_leaves_the_program_alone(string shell, string[] argv, int exit)
    {
        using var dir = new WorkDir();
        var plan = Plan(
            Step("odd:0", new Command([.. argv])),
            Step("pwd:1", Sh("pwd; false")));

        var run = Run(shell, HostProgram.Apply(plan), dir.Path);

        var odd = run.Marker(0);
        Assert.Equal(exit, odd.ExitCode);
        Assert.Equal(exit == 0 ? MarkerOutcome.Succeeded : MarkerOutcome.Failed, odd.Outcome);
        if (exit == 0)
        {
            var pwd = run.Marker(1);
            Assert.Equal(MarkerOutcome.Failed, pwd.Outcome);
            Assert.Equal(dir.Path + "\n", pwd.StandardOutput);
        }
        Assert.Equal(1, run.End);
        Assert.Empty(dir.TempLeftovers);
    }

    [Theory]
    [MemberData(nameof(Shells), MemberType = typeof(ProgramShell))]
    public void Terminated_mid_step_it_removes_its_temp_dir_runs_no_further_step_and_prints_no_end(string shell)
    {
        using var dir = new WorkDir();
        var plan = Plan(
            Step("first:0", Command.Of("true")),
            Step("slow:1", Sh($"touch {PosixShell.Quote(dir["started"])}; sleep 1")),
            Step("file:2", Command.Of("touch", dir["f2"])));

        var run = Run(shell, HostProgram.Apply(plan), dir.Path, whileRunning: process =>
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (!dir.Has("started") && DateTime.UtcNow < deadline) Thread.Sleep(10);
            using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            kill.WaitForExit();
        });

        Assert.Equal([0], run.Indexes);
        Assert.Null(run.End);
        Assert.Equal(143, run.ExitCode);
        Assert.False(dir.Has("f2"));
        Assert.Empty(dir.TempLeftovers);
    }

    [Theory]
    [InlineData("bash", true)]
    [InlineData("bash", false)]
    [InlineData("dash", true)]
    [InlineData("dash", false)]
    [InlineData("busybox sh", true)]
    [InlineData("busybox sh", false)]
    public void When_the_reader_is_gone_the_program_stops_at_the_next_marker_and_cleans_up(string shell, bool sigpipeIgnored)
    {
        using var dir = new WorkDir();
        var plan = Plan(
            Step("first:0", Command.Of("true")),
            Step("slow:1", Command.Of("sleep", "0.5")),
            Step("file:2", Command.Of("touch", dir["f2"])));
        File.WriteAllText(dir["program"], HostProgram.Apply(plan));
        Directory.CreateDirectory(dir["tmp"]);
        // The reader takes two lines (SBDIR and the first marker) and goes away; with SIGPIPE ignored (as some daemons
        // start commands) the write fails instead.
        var pipeline = (sigpipeIgnored ? "trap '' PIPE; " : "") +
            $"TMPDIR={PosixShell.Quote(dir["tmp"])} {shell} -s <{PosixShell.Quote(dir["program"])} 2>/dev/null | head -n 2; echo \"status ${{PIPESTATUS[0]}}\"";

        var run = Process.Start(new ProcessStartInfo("/bin/bash", ["-c", pipeline]) { RedirectStandardOutput = true })!;
        var output = run.StandardOutput.ReadToEnd();
        run.WaitForExit();

        var lines = output.Split('\n');
        Assert.True(lines[0].StartsWith("SBDIR ", StringComparison.Ordinal) && lines[1].StartsWith("SBSTEP 0 first:0 succeeded 0 ", StringComparison.Ordinal),
            pipeline + "\n" + output);
        Assert.EndsWith("status 141\n", output);
        Assert.False(dir.Has("f2"));
        Assert.Empty(dir.TempLeftovers);
    }

    [Theory]
    [MemberData(nameof(Shells), MemberType = typeof(ProgramShell))]
    public void Without_a_usable_temp_dir_it_ends_with_status_125_and_no_step_runs(string shell)
    {
        using var dir = new WorkDir();
        var program = HostProgram.Apply(Plan(Step("file:0", Command.Of("touch", dir["f0"]))));

        var run = Run(shell, program, dir.Path, new Dictionary<string, string> { ["TMPDIR"] = dir["no/such/dir"] });

        Assert.Empty(run.Markers);
        Assert.Equal(ProgramMarkers.StatusCannotRun, run.End);
        Assert.Equal(125, run.ExitCode);
        Assert.False(dir.Has("f0"));
    }

    [Theory]
    [InlineData("bash")]
    [InlineData("dash")]
    public void A_host_without_base64_gets_status_125_and_no_step_runs(string shell)
    {
        using var dir = new WorkDir();
        // A PATH with mktemp and touch but no base64.
        Directory.CreateDirectory(dir["bin"]);
        foreach (var tool in new[] { "mktemp", "touch", "rm" })
            File.CreateSymbolicLink(dir[$"bin/{tool}"], $"/usr/bin/{tool}");
        var program = HostProgram.Apply(Plan(Step("file:0", Command.Of("touch", dir["f0"]))));

        var run = Run(shell, program, dir.Path, new Dictionary<string, string> { ["PATH"] = dir["bin"] });

        Assert.Empty(run.Markers);
        Assert.Equal(ProgramMarkers.StatusCannotRun, run.End);
        Assert.Equal(125, run.ExitCode);
        Assert.Contains("base64 is missing", run.Stderr);
        Assert.False(dir.Has("f0"));
    }

    [Theory]
    [MemberData(nameof(Shells), MemberType = typeof(ProgramShell))]
    public void Without_proc_uptime_durations_are_zero_and_the_program_still_runs(string shell)
    {
        using var dir = new WorkDir();
        var program = HostProgram.Apply(Plan(Step("sleep:0", Command.Of("sleep", "0.1")), Step("file:1", Command.Of("touch", dir["f1"]))))
            .Replace("</proc/uptime", "<" + PosixShell.Quote(dir["no-uptime"]), StringComparison.Ordinal);

        var run = Run(shell, program, dir.Path);

        Assert.Equal([MarkerOutcome.Succeeded, MarkerOutcome.Succeeded], run.Outcomes);
        Assert.All(run.Markers, m => Assert.Equal(0, m.DurationMs));
        Assert.Equal(0, run.End);
        Assert.Equal("", run.Stderr);
    }
}
