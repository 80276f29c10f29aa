using System.Text;
using CsCheck;
using Superbridge.Core.Commands;
using Superbridge.Core.Programs;
using static Superbridge.Core.Tests.Programs.ProgramShell;

namespace Superbridge.Core.Tests.Programs;

/// <summary>What a command prints comes back in its marker exactly, on one line, whatever it holds.</summary>
public class ProgramOutputTests
{
    public static TheoryData<string, string> Outputs()
    {
        var data = new TheoryData<string, string>();
        string[] texts =
        [
            "plain", "two\nlines\n", "no newline at the end", "\n\n\n", "cr\rlf\r\n", "it's \"quoted\" `x` $(y) ${z} \\ ;|&",
            "SBSTEP 0 fake:0 succeeded 0 0 - -\nSBEND 0\n", "tab\tand space  ", "ünï 日本語 🚀", "%2D - %", new string('x', 4096),
        ];
        foreach (var shell in new[] { "bash", "dash", "busybox" })
            foreach (var text in texts)
                data.Add(shell, text);
        return data;
    }

    [Theory]
    [MemberData(nameof(Outputs))]
    public void Stdout_and_stderr_come_back_exactly(string shell, string text)
    {
        using var dir = new WorkDir();
        File.WriteAllText(dir["text"], text, new UTF8Encoding(false));
        var file = PosixShell.Quote(dir["text"]);
        var plan = Plan(
            Step("out:0", Sh($"cat {file}")),
            Step("err:1", Sh($"cat {file} >&2")),
            Step("fail:2", Sh($"cat {file}; cat {file} >&2; exit 1")));

        var run = Run(shell, HostProgram.Apply(plan), dir.Path);

        Assert.Equal(3, run.Markers.Length);
        Assert.Equal((text, ""), (run.Marker(0).StandardOutput, run.Marker(0).StandardError));
        Assert.Equal(("", text), (run.Marker(1).StandardOutput, run.Marker(1).StandardError));
        Assert.Equal((text, text), (run.Marker(2).StandardOutput, run.Marker(2).StandardError));
        Assert.All(run.Markers, m => Assert.False(m.StandardOutputTruncated || m.StandardErrorTruncated));
        Assert.Equal(1, run.End);
        // The fake marker text inside the output is not a line of the program's stdout: SBDIR, three markers, SBEND.
        Assert.Equal(5, run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Theory]
    [MemberData(nameof(Shells), MemberType = typeof(ProgramShell))]
    public void Bytes_that_are_not_utf8_travel_exactly_and_read_as_replacement_characters(string shell)
    {
        using var dir = new WorkDir();
        var run = Run(shell, HostProgram.Apply(Plan(Step("bin:0", Command.Of("printf", "\\377\\376a\\0b\\200\\n")))), dir.Path);

        var marker = run.Marker(0);
        Assert.Equal("\uFFFD\uFFFDa\0b\uFFFD\n", marker.StandardOutput);
        var field = run.MarkerLines[0].Split(' ')[6];
        Assert.Equal(new byte[] { 0xFF, 0xFE, (byte)'a', 0, (byte)'b', 0x80, (byte)'\n' }, Convert.FromBase64String(field));
    }

    [Theory]
    [InlineData("bash", 4096, false)]
    [InlineData("bash", 4097, true)]
    [InlineData("bash", 100_000, true)]
    [InlineData("dash", 4095, false)]
    [InlineData("dash", 4097, true)]
    [InlineData("dash", 100_000, true)]
    [InlineData("busybox", 4096, false)]
    [InlineData("busybox", 4098, true)]
    [InlineData("busybox", 100_000, true)]
    public void Output_is_cut_at_the_limit_and_the_cut_is_flagged(string shell, int length, bool cut)
    {
        using var dir = new WorkDir();
        var text = string.Concat(Enumerable.Range(0, length).Select(i => (char)('a' + i % 26)));
        File.WriteAllText(dir["big"], text);
        var file = PosixShell.Quote(dir["big"]);
        var run = Run(shell, HostProgram.Apply(Plan(Step("big:0", Sh($"cat {file}; cat {file} >&2")))), dir.Path);

        var marker = run.Marker(0);
        var expected = text[..Math.Min(length, ProgramMarkers.OutputLimit)];
        Assert.Equal(expected, marker.StandardOutput);
        Assert.Equal(expected, marker.StandardError);
        Assert.Equal(cut, marker.StandardOutputTruncated);
        Assert.Equal(cut, marker.StandardErrorTruncated);
        Assert.InRange(run.MarkerLines[0].Length, 0, 12_000);
    }

    private static readonly string[] KnownHostile =
    [
        ";", "$(touch pwned)", "`touch pwned`", "'", "''", "'\\''", "\"", "\n", "a b", "ünï", "日本", "🚀", "x;touch pwned", "-n", "--help",
        "$HOME", "${HOME}", "%s%d%n", "\\n\\0\\c", "\\", "*", "?", "[a]", "a|b", "a&b", ">pwned", "<x", "{a,b}", "~", "!x", "#x", "",
        "\r", "\u2028", "\t", " lead", "trail ", "SBSTEP 0 x skipped 0 0 - -", "SBEND 0", "\u007f\u0001\u001b[31m",
    ];

    private static readonly Gen<string> Hostile = Gen.OneOf(
        Gen.OneOf(KnownHostile),
        Gen.String[Gen.Char[(char)1, (char)0xD7FF], 0, 40],
        Gen.Select(Gen.String[Gen.Char["abz019._-"], 0, 8], Gen.Char[";$`'\"\n\t (){}|&<>*?!#~\\\u00e9\u2028\r%"], Gen.String[Gen.Char["abz019._-"], 0, 8],
            (a, bad, b) => a + bad + b));

    [Theory]
    [MemberData(nameof(Shells), MemberType = typeof(ProgramShell))]
    public void A_hostile_argv_value_comes_back_byte_exact_in_the_output(string shell)
    {
        Hostile.Array[1, 30].Sample(values =>
        {
            using var dir = new WorkDir();
            var steps = values.Select((v, i) => Step($"printf:{i}", Command.Of("printf", "%s", v), Command.Of("printf", "%s", v), Command.Of("test", "-z", v + "x")));
            var plan = Plan([.. steps]);

            var apply = Run(shell, HostProgram.Apply(plan), dir.Path);
            var undo = Run(shell, HostProgram.Undo(plan, [.. Enumerable.Range(0, values.Length).Reverse()]), dir.Path);

            Assert.Equal(values, apply.Markers.Select(m => m.StandardOutput));
            Assert.All(apply.Markers, m => Assert.Equal(MarkerOutcome.Succeeded, m.Outcome));
            Assert.Equal(0, apply.End);
            Assert.Equal(Enumerable.Range(0, values.Length), apply.Indexes);
            Assert.All(undo.Markers, m => Assert.Equal(MarkerOutcome.AlreadyUndone, m.Outcome));
            Assert.Equal(0, undo.End);
            Assert.Equal(["tmp"], Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName));
        }, iter: 8, threads: 1);
    }

    [Theory]
    [MemberData(nameof(Shells), MemberType = typeof(ProgramShell))]
    public void Hostile_step_ids_and_descriptions_neither_run_nor_break_the_markers(string shell)
    {
        using var dir = new WorkDir();
        string[] ids = ["link:sbg-lan-0", "fdb:sbx-lan-0:2.2.2.2", "a b", "new\nline", "$(touch pwned)", "'; touch pwned; '", "%41", "-", "", "日本", "x\r"];
        var steps = ids.Select((id, i) => new Superbridge.Core.Planning.PlanStep(id, $"line\ntouch pwned-{i}\n$(touch pwned) `touch pwned` '\"", Command.Of("true"), null, null));
        var plan = new Superbridge.Core.Planning.HostPlan("h1\ntouch pwned-host", [.. steps]);

        var run = Run(shell, HostProgram.Apply(plan), dir.Path);

        Assert.Equal(ids, run.Markers.Select(m => m.StepId));
        Assert.Equal(0, run.End);
        Assert.Equal(["tmp"], Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName));
    }
}
