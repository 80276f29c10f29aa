using System.Diagnostics;

namespace Superbridge.Ssh.Tests.Support;

/// <summary>Runs local programs for test setup (ip, ssh-keygen, useradd...). Throws with the output when they fail.</summary>
internal static class Shell
{
    public static string Run(string program, params string[] args) => RunWithInput(null, program, args);

    public static string RunWithInput(string? input, string program, params string[] args)
    {
        var (exit, stdout, stderr) = TryRunWithInput(input, program, args);
        if (exit != 0) throw new InvalidOperationException($"{program} {string.Join(' ', args)} exited {exit}: {stderr}{stdout}");
        return stdout;
    }

    public static (int Exit, string Stdout, string Stderr) TryRun(string program, params string[] args) => TryRunWithInput(null, program, args);

    public static (int Exit, string Stdout, string Stderr) TryRunWithInput(string? input, string program, params string[] args)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Cannot start {program}.");
        if (input is not null) process.StandardInput.Write(input);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', args)} did not finish within 60 s.");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
