using System.Diagnostics;
using System.Globalization;
using Superbridge.Lab;
using Superbridge.Ssh.Inventory;

namespace Superbridge.Bench.Inventory;

internal sealed record BenchOptions(string LabJson, int Repetitions, int ExternalRepetitions, bool SkipAnsible, bool PrintScript, bool AsSudoUser)
{
    public static BenchOptions Parse(string[] args)
    {
        var labJson = Environment.GetEnvironmentVariable(LabEnvironment.JsonVariable) is { Length: > 0 } fromEnvironment
            ? fromEnvironment
            : "/run/sblab/lab.json";
        int repetitions = 7, external = 3;
        bool skipAnsible = false, printScript = false, sudo = false;
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw Usage($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--lab": labJson = Value(); break;
                case "--repetitions": repetitions = Number(Value()); break;
                case "--external-repetitions": external = Number(Value()); break;
                case "--skip-ansible": skipAnsible = true; break;
                case "--print-script": printScript = true; break;
                case "--user":
                    sudo = Value() switch
                    {
                        "root" => false,
                        "sudo" => true,
                        var other => throw Usage($"--user is root or sudo, not \"{other}\""),
                    };
                    break;
                default: throw Usage($"unknown argument {args[i]}");
            }
        }
        return new BenchOptions(labJson, repetitions, external, skipAnsible, printScript, sudo);
    }

    private static int Number(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw Usage($"\"{text}\" is not a positive number");

    private static ArgumentException Usage(string problem) => new(
        $"{problem}\nusage: Inventory.Bench [--lab LAB.json] [--repetitions N] [--external-repetitions N] [--user root|sudo] [--skip-ansible] [--print-script]");
}

/// <summary>Runs the external tools the bench compares against.</summary>
internal static class External
{
    public sealed record Run(string Command, int ExitCode, string StandardOutput, string StandardError);

    public static async Task<Run> RunAsync(string fileName, IEnumerable<string> arguments, string? input, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        if (environment is not null)
            foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {fileName}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (input is not null) await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(deadline.Token);
        return new Run($"{fileName} {start.ArgumentList.FirstOrDefault()} ...", process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Fails unless the run exited 0 and printed the script's last line once per host.</summary>
    public static void Require(Run run, int hosts)
    {
        var done = CountOf(run.StandardOutput, InventoryScript.DoneLine);
        if (run.ExitCode != 0 || done != hosts)
            throw new InvalidOperationException(
                $"`{run.Command}` exited {run.ExitCode} with {done} complete inventories of {hosts}:\n{Tail(run.StandardOutput)}\n{Tail(run.StandardError)}");
    }

    public static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Any(directory => File.Exists(Path.Combine(directory, program)));

    private static int CountOf(string text, string line)
    {
        var count = 0;
        for (var at = text.IndexOf(line, StringComparison.Ordinal); at >= 0; at = text.IndexOf(line, at + line.Length, StringComparison.Ordinal)) count++;
        return count;
    }

    private static string Tail(string text) => text.Length <= 2000 ? text : "..." + text[^2000..];
}
