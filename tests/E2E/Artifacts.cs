using Microsoft.Playwright;
using Superbridge.Lab;

namespace Superbridge.E2E;

/// <summary>Screenshots of each step, kept as test artifacts under artifacts/e2e (git-ignored).</summary>
internal static class Artifacts
{
    public static string Directory { get; } = System.IO.Directory.CreateDirectory(
        Path.Combine(LabEnvironment.FindRepositoryRoot(), "artifacts", "e2e")).FullName;

    public static async Task ScreenshotAsync(IPage page, string name)
    {
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Directory, name + ".png"), FullPage = true });
    }
}
