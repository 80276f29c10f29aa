using Microsoft.Playwright;
using Superbridge.Dashboard;

namespace Superbridge.E2E;

/// <summary>The sign-in gate as a browser meets it.</summary>
public sealed class SignInTests : IAsyncLifetime
{
    private DashboardProcess _dashboard = null!;
    private HeadlessChromium _chromium = null!;

    public async Task InitializeAsync()
    {
        _dashboard = await DashboardProcess.StartAsync();
        _chromium = await HeadlessChromium.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        await _chromium.DisposeAsync();
        await _dashboard.DisposeAsync();
    }

    [Fact]
    public async Task A_page_asked_for_before_sign_in_opens_after_signing_in_with_styles_and_scripts_loaded()
    {
        await using var context = await _chromium.NewContextAsync(_dashboard.BaseUrl);
        var page = await context.NewPageAsync();
        var failedAssets = new List<string>();
        page.Response += (_, response) =>
        {
            if (response.Status >= 400) failedAssets.Add($"{response.Status} {response.Url}");
        };

        await page.GotoAsync("hosts");
        Assert.Contains("/login", page.Url);
        await Artifacts.ScreenshotAsync(page, "00-sign-in");
        await page.FillAsync("input[name=password]", _dashboard.AdminPassword);
        await page.ClickAsync("button[type=submit]");

        await page.WaitForURLAsync("**/hosts");
        await Assertions.Expect(page.Locator("[data-action=add-host]")).ToBeVisibleAsync();
        // MudBlazor's stylesheet really applied: its button class has a computed text-transform of uppercase.
        Assert.Equal("uppercase", await page.Locator("[data-action=add-host]").EvaluateAsync<string>("e => getComputedStyle(e).textTransform"));
        Assert.Empty(failedAssets);
    }

    [Fact]
    public async Task A_wrong_password_keeps_the_user_out_with_a_message()
    {
        await using var context = await _chromium.NewContextAsync(_dashboard.BaseUrl);
        var page = await context.NewPageAsync();

        await page.GotoAsync("login");
        await page.FillAsync("input[name=password]", "not-the-password");
        await page.ClickAsync("button[type=submit]");

        await Assertions.Expect(page.Locator("[data-testid=login-error]")).ToBeVisibleAsync();
        await page.GotoAsync("hosts");
        Assert.Contains("/login", page.Url);
    }

    [Fact]
    public async Task An_open_page_loses_its_circuit_when_its_session_is_signed_out_in_another_tab()
    {
        await using var context = await _chromium.NewContextAsync(_dashboard.BaseUrl);
        var page = await context.NewPageAsync();
        await page.GotoAsync("login");
        await page.FillAsync("input[name=password]", _dashboard.AdminPassword);
        await page.ClickAsync("button[type=submit]");
        await page.GotoAsync("hosts");
        await Assertions.Expect(page.Locator("[data-interactive=true]")).ToBeVisibleAsync();

        // Same browser, same cookie: signing out in the second tab ends the session the first tab's circuit runs on.
        var other = await context.NewPageAsync();
        await other.GotoAsync("hosts");
        await other.ClickAsync("button[aria-label='Sign out']");
        await other.WaitForURLAsync("**/login**");

        // The first tab never reloads; its circuit revalidates (every 10 s) and the router sends it to sign in.
        try { await page.WaitForURLAsync("**/login**", new PageWaitForURLOptions { Timeout = 30_000 }); }
        catch (TimeoutException) { throw new TimeoutException(_dashboard.Output); }
    }
}
