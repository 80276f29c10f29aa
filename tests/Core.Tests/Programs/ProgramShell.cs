using System.Collections.Immutable;
using System.Diagnostics;
using System.Text;
using Superbridge.Core.Commands;
using Superbridge.Core.Model;
using Superbridge.Core.Planning;
using Superbridge.Core.Programs;

namespace Superbridge.Core.Tests.Programs;

/// <summary>What a program printed and how it ended, read the way an executor reads it.</summary>
internal sealed record ProgramRun(int ExitCode, string Stdout, string Stderr, ImmutableArray<ProgramMarker> Markers, int? End, ImmutableArray<string> MarkerLines)
{
    public ProgramMarker Marker(int index) => Assert.Single(Markers, m => m.Index == index);
    public MarkerOutcome[] Outcomes => [.. Markers.Select(m => m.Outcome)];
    public int[] Indexes => [.. Markers.Select(m => m.Index)];
}

/// <summary>Runs a program for real the way the executor will: the text on stdin of <c>SHELL -s</c>.</summary>
internal static class ProgramShell
{
    /// <summary>bash, dash and busybox ash; the ids tests pass to <see cref="Run"/>.</summary>
    public static TheoryData<string> Shells => ["bash", "dash", "busybox"];

    public static ProgramRun Run(string shell, string program, string workDir, IDictionary<string, string>? environment = null,
        Action<Process>? whileRunning = null)
    {
        var (file, args) = shell switch
        {
            "bash" => ("/bin/bash", "-s"),
            "dash" => ("/bin/dash", "-s"),
            "busybox" => ("/bin/busybox", "sh -s"),
            _ => throw new ArgumentOutOfRangeException(nameof(shell), shell, null),
        };
        var start = new ProcessStartInfo(file, args)
        {
            WorkingDirectory = workDir,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.Environment["TMPDIR"] = Path.Combine(workDir, "tmp");
        Directory.CreateDirectory(Path.Combine(workDir, "tmp"));
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var writer = Task.Run(() =>
        {
            try
            {
                process.StandardInput.Write(program);
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // The shell stopped reading (a syntax error ends it early).
            }
        });
        // Before the rest of stdout is read: it may read the first lines itself.
        whileRunning?.Invoke(process);
        var stdout = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(120)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{shell} did not finish the program in 120 s");
        }
        writer.Wait();
        var output = stdout.Result;
        var markers = ImmutableArray.CreateBuilder<ProgramMarker>();
        var lines = ImmutableArray.CreateBuilder<string>();
        int? end = null;
        foreach (var line in output.Split('\n'))
        {
            if (ProgramMarkers.TryParse(line, out var marker))
            {
                markers.Add(marker!);
                lines.Add(line);
            }
            else if (ProgramMarkers.TryParseEnd(line, out var status)) end = status;
        }
        return new ProgramRun(process.ExitCode, output, stderr.Result, markers.ToImmutable(), end, lines.ToImmutable());
    }

    public static HostPlan Plan(params PlanStep[] steps) => new("h1", [.. steps]);

    public static PlanStep Step(string id, Command run, Command? undo = null, Command? check = null) => new(id, $"Step {id}", run, undo, check);

    public static Command Sh(string script) => Command.Of("sh", "-c", script);
}

/// <summary>A private directory for one test's files and the programs' TMPDIR; removed afterwards.</summary>
internal sealed class WorkDir : IDisposable
{
    public WorkDir() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "sbprog-" + Guid.NewGuid().ToString("N"));

    public string this[string name] => System.IO.Path.Combine(Path, name);

    public bool Has(string name) => File.Exists(this[name]);

    /// <summary>What a program left in its TMPDIR (its private directory must be gone).</summary>
    public string[] TempLeftovers => Directory.GetFileSystemEntries(this["tmp"]);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
