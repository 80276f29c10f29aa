using System.Diagnostics;
using Superbridge.Web.Tests.Support;

namespace Superbridge.Web.Tests.OpenApi;

/// <summary>
/// Runs <c>validator/validate.mjs</c> (an npm OpenAPI schema validator) on a document file. Its packages are installed
/// from the committed lock file on first use, so a clean machine needs only node, npm and the registry.
/// </summary>
internal static class OpenApiValidator
{
    private static readonly string Folder = Path.Combine(RepositoryRoot.Path, "tests", "Web.Tests", "OpenApi", "validator");

    public static async Task<(int ExitCode, string Output)> ValidateAsync(string documentFile)
    {
        if (!Directory.Exists(Path.Combine(Folder, "node_modules")))
        {
            var install = await RunAsync("npm", "ci", "--no-audit", "--no-fund");
            if (install.ExitCode != 0) return (install.ExitCode, $"npm ci failed:\n{install.Output}");
        }
        return await RunAsync("node", "validate.mjs", documentFile);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = Folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, $"{await stdout}{await stderr}");
    }
}
