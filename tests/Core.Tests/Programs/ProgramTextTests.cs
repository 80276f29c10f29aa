using Superbridge.Core.Commands;
using Superbridge.Core.Model;
using Superbridge.Core.Planning;
using Superbridge.Core.Programs;
using Superbridge.Core.Tests.Support;
using static Superbridge.Core.Tests.Programs.ProgramShell;

namespace Superbridge.Core.Tests.Programs;

/// <summary>The program text of real plans: deterministic, and running it runs exactly the plan's argv.</summary>
public class ProgramTextTests
{
    private static (SegmentPlan Apply, SegmentPlan Teardown) Plans(Transport transport)
    {
        var hosts = Given.Hosts(Given.Host(1), Given.Host(2) with { LxcPath = "/srv/lxc" }, Given.Host(3));
        var observed = Given.ObservedAll(3);
        observed["h2"] = Given.Observed("h2", Given.Container("web"));
        var spec = Given.Segment(transport, 3) with { Attachments = [new AttachmentSpec("h2", "web")], Stp = true };
        var segment = Given.Allocated(spec, hosts, observed: observed);
        return (SegmentPlanner.Plan(segment, hosts, observed).Value, SegmentPlanner.PlanTeardown(segment, hosts, observed).Value);
    }

    public static TheoryData<Transport> Transports => [Transport.Gretap, Transport.L2tpv3Udp, Transport.L2tpv3Ip, Transport.Vxlan];

    [Theory]
    [MemberData(nameof(Transports))]
    public void The_same_plan_gives_the_same_program_bytes(Transport transport)
    {
        var (first, firstTeardown) = Plans(transport);
        var (second, secondTeardown) = Plans(transport);
        foreach (var (a, b) in first.Hosts.Concat(firstTeardown.Hosts).Zip(second.Hosts.Concat(secondTeardown.Hosts)))
        {
            Assert.NotSame(a, b);
            var reversed = Enumerable.Range(0, a.Steps.Length).Reverse().ToList();
            Assert.Equal(HostProgram.Apply(a), HostProgram.Apply(b));
            Assert.Equal(HostProgram.Undo(a, reversed), HostProgram.Undo(b, reversed));
            Assert.Equal(HostProgram.Apply(a), HostProgram.Apply(a));
        }
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public void A_teardown_program_negates_checks_in_the_shell_instead_of_starting_sh_for_it(Transport transport)
    {
        var (_, teardown) = Plans(transport);
        foreach (var host in teardown.Hosts)
        {
            var program = HostProgram.Apply(host);
            Assert.DoesNotContain("'! \"$@\"'", program);
            foreach (var step in host.Steps.Where(s => s.Check is not null))
                Assert.Contains("if ! " + step.Check!.Argv[4] + " ", program);
        }
    }

    [Fact]
    public void Each_step_is_introduced_by_a_one_line_comment_whatever_its_description()
    {
        var plan = new HostPlan("h1\nrm -rf /", [new PlanStep("a:0", "two\nlines\r\u2028and\u0085more", Command.Of("true"), null, null)]);
        var program = HostProgram.Apply(plan);
        Assert.Contains("\n\t# 0 a:0: two lines  and more\n", program);
        Assert.Contains("# Superbridge apply program for host h1 rm -rf /: 1 step.\n", program);
        Assert.DoesNotContain("\nrm -rf /", program);
    }

    public static TheoryData<string[], string> Renderings => new()
    {
        { ["ip", "link", "show", "dev", "superbr0"], "ip link show dev superbr0" },
        { ["sh", "-c", "echo 'x'"], "sh -c 'echo '\\''x'\\'''" },
        { ["if", "x"], "'if' x" },
        { ["A=b", "x"], "'A=b' x" },
        { ["exit", "3"], "( exit 3 )" },
        { ["cd", "/"], "( cd / )" },
        { ["sb_end", "0"], "command sb_end 0" },
        { ["my prog", "a b"], "'my prog' 'a b'" },
    };

    [Theory]
    [MemberData(nameof(Renderings))]
    public void Argv_zero_stays_a_command_name_and_every_word_is_quoted_by_PosixShell(string[] argv, string expected) =>
        Assert.Equal(expected, HostProgram.Render(new Command([.. argv])));

    private static readonly HashSet<string> BashBuiltins = ["test", "[", "printf", "echo", "true", "false", "kill", "pwd"];

    /// <summary>
    /// Real plans, every program on PATH replaced by a stub that records its argv and exits 0: the apply program
    /// records each step's check (or its command when it has none), the undo program each check then undo, verify each check.
    /// Steps with a builtin (<c>test</c>…) are left out: those run inside the shell, where no stub sees them. Not under
    /// busybox sh: Debian's build runs its own applets (ip, grep, sed, modprobe…) before anything on PATH.
    /// </summary>
    [Theory]
    [InlineData("bash")]
    [InlineData("dash")]
    public void Running_a_program_runs_exactly_the_argv_of_the_plan(string shell)
    {
        foreach (var transport in new[] { Transport.L2tpv3Udp, Transport.Vxlan })
        {
            var (apply, teardown) = Plans(transport);
            foreach (var planned in apply.Hosts.Concat(teardown.Hosts))
            {
                var host = planned with
                {
                    Steps = [.. planned.Steps.Where(s => new[] { s.Do, s.Undo, s.Check }.OfType<Command>().All(c => !BashBuiltins.Contains(Unwrap(c).Argv[0])))],
                };
                Assert.InRange(host.Steps.Length, planned.Steps.Length / 2, planned.Steps.Length);
                var all = host.Steps.SelectMany(s => new[] { s.Do, s.Undo, s.Check }).OfType<Command>().Select(Unwrap).ToList();
                var reversed = Enumerable.Range(0, host.Steps.Length).Reverse().ToList();

                Assert.Equal(Expected(host.Steps.Select(s => s.Check is { } c ? Unwrap(c) : s.Do)), Recorded(shell, HostProgram.Apply(host), all));
                Assert.Equal(
                    Expected(reversed.Select(i => host.Steps[i]).SelectMany(s => s.Undo is null ? [] : s.Check is null ? [s.Undo] : new[] { Unwrap(s.Check), s.Undo })),
                    Recorded(shell, HostProgram.Undo(host, reversed), all));
            }
        }
    }

    private static Command Unwrap(Command command) =>
        command.Argv is ["sh", "-c", "! \"$@\"", "sh", .. var inner] ? new Command([.. inner]) : command;

    private static string[][] Expected(IEnumerable<Command> commands) =>
        [.. commands.Where(c => !BashBuiltins.Contains(c.Argv[0])).Select(c => c.Words())];

    private static string[][] Recorded(string shell, string program, IEnumerable<Command> commands)
    {
        using var dir = new WorkDir();
        Directory.CreateDirectory(dir["stubs"]);
        var log = PosixShell.Quote(dir["log"]);
        foreach (var name in commands.Select(c => c.Argv[0]).Distinct().Where(n => !BashBuiltins.Contains(n)))
        {
            var stub = dir[$"stubs/{name}"];
            File.WriteAllText(stub, $"#!/bin/sh\nprintf '%s\\0' \"${{0##*/}}\" \"$@\" >>{log}\nprintf '\\1' >>{log}\n");
            File.SetUnixFileMode(stub, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        var run = Run(shell, program, dir.Path, new Dictionary<string, string> { ["PATH"] = dir["stubs"] + ":/usr/bin:/bin" });
        Assert.True(run.End is 0, run.Stdout + run.Stderr);
        if (!dir.Has("log")) return [];
        return [.. File.ReadAllText(dir["log"]).Split('\u0001')[..^1].Select(r => r[..^1].Split('\0'))];
    }
}
