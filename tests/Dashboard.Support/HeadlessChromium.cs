using Microsoft.Playwright;

namespace Superbridge.Dashboard;

/// <summary>
/// Debian's Chromium (/usr/bin/chromium, from apt) driven by Playwright, headless. Playwright never downloads a browser
/// here: the executable path is always given.
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private readonly IPlaywright _playwright;

    private HeadlessChromium(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    public static async Task<HeadlessChromium> LaunchAsync()
    {
        if (!File.Exists(ExecutablePath))
            throw new FileNotFoundException($"{ExecutablePath} is missing: install Debian's chromium package (test.sh does).", ExecutablePath);
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ExecutablePath,
                Headless = true,
                // Root in CI has no user namespace sandbox to give; /dev/shm may be small in containers.
                Args = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
            });
            return new HeadlessChromium(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>A fresh browser context (own cookies) with a desktop-sized viewport.</summary>
    /// <param name="storageState">Cookies saved from a signed-in context (<c>StorageStateAsync</c>), so this one starts signed in.</param>
    public async Task<IBrowserContext> NewContextAsync(Uri baseUrl, string? storageState = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl.ToString(),
            ViewportSize = new ViewportSize { Width = 1440, Height = 900 },
            StorageState = storageState,
        });
        // Two shared cores running the server, the browser and SSH to the lab: Playwright's 30 s default is tight.
        context.SetDefaultTimeout(60_000);
        return context;
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}
