using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Superbridge.Dashboard;
using static Microsoft.Playwright.Assertions;

namespace Superbridge.E2E;

/// <summary>
/// What a person does in the dashboard, step by step, in a real browser page: the same clicks and keystrokes, found by
/// the data-* hooks the components carry. Every step waits for what the user would wait for (a dialog, a result).
/// </summary>
internal sealed class DashboardUser(IPage page, DashboardProcess dashboard)
{
    /// <summary>Applying over SSH to the lab, with TCG VMs and other tests sharing two cores, can take a while.</summary>
    private static readonly LocatorAssertionsToBeVisibleOptions Slow = new() { Timeout = 180_000 };

    static DashboardUser()
    {
        // Expect's 5 s default is for a quiet machine; CI shares two cores between the server, Chromium and the lab.
        SetDefaultExpectTimeout(30_000);
    }

    public async Task SignInAsync()
    {
        await page.GotoAsync("login");
        await page.FillAsync("input[name=password]", dashboard.AdminPassword);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal));
        await WaitInteractiveAsync();
    }

    /// <summary>The layout marks itself once rendered over the live circuit; a prerendered page would ignore clicks.</summary>
    public async Task WaitInteractiveAsync()
    {
        await page.Locator(".mud-layout[data-interactive=true]").WaitForAsync();
    }

    public async Task OpenAsync(string path)
    {
        await page.GotoAsync(path);
        await WaitInteractiveAsync();
    }

    /// <summary>Hosts → Add host → connect → compare the fingerprint with <paramref name="expectedFingerprint"/> → confirm → add.</summary>
    public async Task AddHostAsync(string name, string address, string keyPath, string expectedFingerprint)
    {
        await OpenAsync("hosts");
        await page.ClickAsync("[data-action=add-host]");
        var dialog = page.Locator(".sb-add-host");
        await Expect(dialog).ToBeVisibleAsync();
        await dialog.Locator("input[data-field=address]").FillAsync(address);
        await dialog.Locator("input[data-field=name]").FillAsync(name);
        await dialog.Locator("input[data-field=privateKeyPath]").FillAsync(keyPath);
        await dialog.Locator("input[data-field=privateKeyPath]").BlurAsync();
        await dialog.Locator("button[data-action=connect]").ClickAsync();

        var key = dialog.Locator("[data-host-key]");
        await Expect(key).ToBeVisibleAsync(Slow);
        // The user compares before confirming: a different key must never be confirmed.
        Assert.Equal(expectedFingerprint, await key.GetAttributeAsync("data-host-key"));
        await dialog.Locator("input[data-confirm=compared]").CheckAsync();
        var add = dialog.Locator("button[data-action=add]");
        await Expect(add).ToBeEnabledAsync();
        await add.ClickAsync();
        await Expect(dialog).ToBeHiddenAsync(new() { Timeout = 60_000 });
        await Expect(page.Locator($"[data-host={name}]")).ToBeVisibleAsync();
    }

    /// <summary>Picks <paramref name="option"/> in the MudSelect that carries data-field=<paramref name="field"/>.</summary>
    public async Task SelectAsync(ILocator scope, string field, string option)
    {
        await scope.Locator($"[data-field={field}]").Locator("xpath=ancestor-or-self::div[contains(@class,'mud-select')][1]").ClickAsync();
        var item = page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasTextRegex = new Regex($"^\\s*{Regex.Escape(option)}\\b") });
        await item.First.ClickAsync();
        await Expect(page.Locator(".mud-popover-open .mud-list-item")).ToHaveCountAsync(0);
    }

    /// <summary>Drags from the handle of <paramref name="from"/>'s node and drops on <paramref name="to"/>'s node, as on a canvas.</summary>
    public async Task DrawTunnelAsync(string from, string to)
    {
        var source = page.Locator($"[data-host-node={from}] .sb-host-port").First;
        var target = page.Locator($"[data-host-node={to}]");
        await Expect(source).ToBeVisibleAsync();
        await Expect(target).ToBeVisibleAsync();
        var start = (await source.BoundingBoxAsync())!;
        var end = (await target.BoundingBoxAsync())!;
        await page.Mouse.MoveAsync(start.X + start.Width / 2, start.Y + start.Height / 2);
        await page.Mouse.DownAsync();
        // Several moves, as a hand does: the diagram follows pointermove events to draw the link being dragged.
        await page.Mouse.MoveAsync(end.X + end.Width / 2, end.Y + end.Height / 2, new() { Steps = 12 });
        await page.Mouse.UpAsync();
    }

    /// <summary>In a dialog at its preview stage: Apply and wait for the outcome; throws with the dialog's text unless it succeeded.</summary>
    public async Task ApplyFromPreviewAsync(ILocator dialog)
    {
        await Expect(dialog.Locator("button[data-action=apply]")).ToBeVisibleAsync();
        await dialog.Locator("button[data-action=apply]").ClickAsync();
        await Expect(dialog.Locator("button[data-action=close]")).ToBeEnabledAsync(new() { Timeout = 240_000 });
        var status = await dialog.Locator("[data-result]").GetAttributeAsync("data-result");
        if (status != "succeeded")
            throw new InvalidOperationException($"apply ended {status}:\n{await dialog.InnerTextAsync()}");
    }
}
