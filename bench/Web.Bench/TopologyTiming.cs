namespace Superbridge.Bench.Web;

/// <summary>
/// Times repeated visits to /topology in one signed-in tab. A first, untimed visit warms the server (JIT, the first
/// status refresh of every host) and the browser's cache, as for a user who has used the dashboard before; each timed
/// visit starts from about:blank, so it loads the page and opens a new circuit like a fresh navigation.
/// </summary>
public static class TopologyTiming
{
    /// <param name="screenshot">Where to save a picture of the page after the warm-up visit, or null.</param>
    public static async Task<IReadOnlyList<TopologyPageTimes>> MeasureAsync(
        SignedInBrowser browser, int hosts, int tunnels, int runs, TimeSpan timeout, string? screenshot = null)
    {
        var page = await browser.NewPageAsync();
        try
        {
            await TopologyPageVisit.OpenAsync(page, hosts, tunnels, timeout);
            await TopologyPageVisit.WaitAllRefreshedAsync(page, hosts, timeout);
            if (screenshot is not null)
            {
                await page.Keyboard.PressAsync("Escape");
                await page.ScreenshotAsync(new Microsoft.Playwright.PageScreenshotOptions { Path = screenshot });
            }
            var times = new List<TopologyPageTimes>();
            for (var i = 0; i < runs; i++)
            {
                await page.GotoAsync("about:blank");
                // Lets the circuit of the page just left be torn down before the next one is timed.
                await Task.Delay(TimeSpan.FromMilliseconds(500));
                times.Add(await TopologyPageVisit.OpenAsync(page, hosts, tunnels, timeout));
            }
            return times;
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }
}
