using Microsoft.Playwright;
using Superbridge.Dashboard;

namespace Superbridge.Bench.Web;

/// <summary>
/// Headless Chromium signed in to one dashboard once, through the /login form; every page it opens is in a context of
/// its own (so a Blazor circuit of its own) that starts with the saved sign-in cookie.
/// </summary>
public sealed class SignedInBrowser
{
    private readonly HeadlessChromium _chromium;
    private readonly Uri _baseUrl;
    private readonly string _storageState;

    private SignedInBrowser(HeadlessChromium chromium, Uri baseUrl, string storageState)
    {
        _chromium = chromium;
        _baseUrl = baseUrl;
        _storageState = storageState;
    }

    public static async Task<SignedInBrowser> SignInAsync(HeadlessChromium chromium, DashboardProcess dashboard)
    {
        await using var context = await chromium.NewContextAsync(dashboard.BaseUrl);
        var page = await context.NewPageAsync();
        await page.GotoAsync("login");
        await page.FillAsync("input[name=password]", dashboard.AdminPassword);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal));
        return new SignedInBrowser(chromium, dashboard.BaseUrl, await context.StorageStateAsync());
    }

    /// <summary>A blank page in a new signed-in context; closing the context (<see cref="IPage.Context"/>) closes it.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await _chromium.NewContextAsync(_baseUrl, _storageState);
        return await context.NewPageAsync();
    }
}
