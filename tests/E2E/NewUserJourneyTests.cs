using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Superbridge.Dashboard;
using Superbridge.Lab;
using static Microsoft.Playwright.Assertions;

namespace Superbridge.E2E;

/// <summary>
/// The journey the README promises a new user, in Debian's Chromium against the running dashboard and two lab hosts:
/// sign in, add two hosts (confirming their fingerprints), draw a VXLAN tunnel on the canvas, apply it, make the first
/// host the DHCP router, attach a container on the second host and see its address from the router's range.
/// </summary>
[Collection("Lab")]
public sealed class NewUserJourneyTests(LabFixture lab) : IAsyncLifetime
{
    private const string Segment = "e2e";
    private readonly LabEnvironment _lab = lab.Lab;
    private DashboardProcess _dashboard = null!;
    private HeadlessChromium _chromium = null!;

    public async Task InitializeAsync()
    {
        _dashboard = await DashboardProcess.StartAsync();
        _chromium = await HeadlessChromium.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        // Whatever a failed run left applied is torn down through the product, so the lab is clean for the next tests.
        try
        {
            using var api = _dashboard.CreateApiClient();
            using var response = await api.DeleteAsync($"api/segments/{Segment}");
            if (response.StatusCode is not (HttpStatusCode.NotFound or HttpStatusCode.OK or HttpStatusCode.NoContent))
                throw new InvalidOperationException($"teardown of {Segment} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
        finally
        {
            await _chromium.DisposeAsync();
            await _dashboard.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_new_user_joins_two_hosts_over_vxlan_and_a_container_on_the_second_gets_an_address_from_the_first()
    {
        var h1 = _lab.Host(1);
        var h2 = _lab.Host(2);
        var overlay = _lab.Description.Overlay;
        var container = h2.Containers[0];
        await using var context = await _chromium.NewContextAsync(_dashboard.BaseUrl);
        var page = await context.NewPageAsync();
        var user = new DashboardUser(page, _dashboard);
        try
        {
            await user.SignInAsync();

            await user.AddHostAsync("h1", h1.Address, _lab.Description.KeyPath, h1.HostKeyFingerprint);
            await user.AddHostAsync("h2", h2.Address, _lab.Description.KeyPath, h2.HostKeyFingerprint);
            await Expect(page.Locator("[data-host=h2]").Locator("xpath=ancestor::tr").Locator("[data-containers]"))
                .ToHaveAttributeAsync("data-containers", h2.Containers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), new() { Timeout = 60_000 });
            await Artifacts.ScreenshotAsync(page, "01-hosts");

            await user.OpenAsync("topology");
            await user.DrawTunnelAsync("h1", "h2");
            var tunnel = page.Locator(".sb-tunnel-dialog");
            await Expect(tunnel).ToBeVisibleAsync(new() { Timeout = 30_000 });
            await Expect(tunnel.Locator("button[data-action=preview]")).ToBeVisibleAsync();
            await tunnel.Locator("input[data-field=name]").FillAsync(Segment);
            await user.SelectAsync(tunnel, "transport", "VXLAN");
            await user.SelectAsync(tunnel, "routerHost", "none");
            await Expect(tunnel.Locator("[data-router-summary]")).ToContainTextAsync("plain layer 2");
            await tunnel.Locator("[data-advanced]").Locator(".mud-expand-panel-header").ClickAsync();
            await Expect(tunnel.Locator("[data-device-host=h2] [data-device]")).ToHaveTextAsync($"sbx-{Segment}-0");
            await Artifacts.ScreenshotAsync(page, "02-tunnel-dialog");
            await tunnel.Locator("button[data-action=preview]").ClickAsync();
            // Side by side, each host's exact commands: each end's VXLAN has its own address as local.
            await Expect(tunnel.Locator(".sb-plan-host[data-host=h1]")).ToContainTextAsync($"local {h1.Address}");
            await Expect(tunnel.Locator(".sb-plan-host[data-host=h2]")).ToContainTextAsync($"local {h2.Address}");
            await Artifacts.ScreenshotAsync(page, "03-tunnel-preview");
            await user.ApplyFromPreviewAsync(tunnel);
            await Artifacts.ScreenshotAsync(page, "04-tunnel-applied");
            await tunnel.Locator("button[data-action=close]").ClickAsync();
            await Expect(page.Locator(".mud-snackbar").Filter(new() { HasText = "Tunnel h1 ⟷ h2: done" })).ToBeVisibleAsync();
            await Expect(page.Locator($"[data-legend-segment={Segment}]")).ToBeVisibleAsync();
            await Artifacts.ScreenshotAsync(page, "05-topology");

            await user.OpenAsync($"segments/{Segment}");
            await page.Locator("[data-member=h1] [data-action=make-router]").ClickAsync();
            var router = page.Locator(".sb-router-dialog");
            await Expect(router.Locator("input[data-field=gateway]")).ToBeVisibleAsync();
            await router.Locator("input[data-field=gateway]").FillAsync($"{overlay.RouterAddress}/25");
            await router.Locator("input[data-field=rangeStart]").FillAsync(overlay.DhcpStart);
            await router.Locator("input[data-field=rangeEnd]").FillAsync(overlay.DhcpEnd);
            await router.Locator("input[data-field=rangeEnd]").BlurAsync();
            await Expect(router.Locator("button[data-action=preview]")).ToBeEnabledAsync();
            await router.Locator("button[data-action=preview]").ClickAsync();
            await Expect(router.Locator(".sb-plan-host[data-host=h1]")).ToContainTextAsync("dnsmasq");
            await user.ApplyFromPreviewAsync(router);
            await router.Locator("button[data-action=close]").ClickAsync();
            await Expect(page.Locator("[data-router-host]")).ToHaveTextAsync("h1");

            await page.Locator("[data-action=attach]").ClickAsync();
            var attach = page.Locator(".sb-attach-dialog");
            await Expect(attach.Locator("[data-field=host]")).ToBeVisibleAsync();
            await user.SelectAsync(attach, "host", "h2");
            await user.SelectAsync(attach, "container", container);
            await attach.Locator("button[data-action=preview]").ClickAsync();
            await Expect(attach.Locator(".sb-plan-host[data-host=h2]")).ToContainTextAsync(container);
            await attach.Locator("button[data-action=apply]").ClickAsync();
            var leased = attach.Locator("[data-leased]");
            await Expect(leased).ToBeVisibleAsync(new() { Timeout = 240_000 });
            var address = (await leased.InnerTextAsync()).Trim();
            Assert.True(InRange(address, overlay.DhcpStart, overlay.DhcpEnd), $"{container} got {address}, outside {overlay.DhcpStart}-{overlay.DhcpEnd}");
            await Artifacts.ScreenshotAsync(page, "06-attached");
            await attach.Locator("button[data-action=close]").ClickAsync();
            await Artifacts.ScreenshotAsync(page, "07-segment");
            await user.OpenAsync("segments");
            await Expect(page.Locator($"[data-segment={Segment}]")).ToBeVisibleAsync();
            await Artifacts.ScreenshotAsync(page, "07-segments");

            await user.OpenAsync("hosts/h2");
            await page.Locator("[data-action=refresh]").ClickAsync();
            var shown = page.Locator($"[data-container={container}]").Locator("xpath=ancestor::tr").Locator($"[data-ipv4='{address}']");
            await Expect(shown).ToBeVisibleAsync(new() { Timeout = 60_000 });
            await Artifacts.ScreenshotAsync(page, "08-host-h2");
            await Expect(page.Locator($"[data-drift={Segment}]")).ToHaveAttributeAsync("data-drift-state", "in-sync");

            // Someone deletes the tunnel device by hand on h2: h2's page shows the drift, the segment page repairs it.
            var device = $"sbx-{Segment}-0";
            (await _lab.RunOnHostAsync(h2, ["ip", "link", "del", device])).EnsureSuccess();
            await page.Locator("[data-action=refresh]").ClickAsync();
            var drift = page.Locator($"[data-drift={Segment}]");
            await Expect(drift).ToHaveAttributeAsync("data-drift-state", "drifted", new() { Timeout = 60_000 });
            await Expect(drift.Locator($"[data-drift-item={device}]").First).ToBeVisibleAsync();
            await Artifacts.ScreenshotAsync(page, "09-drift");
            await drift.Locator("[data-action=fix-drift]").ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex($"/segments/{Segment}$"));
            await user.WaitInteractiveAsync();
            await page.Locator("button[data-action=apply-pending]").ClickAsync();
            var repair = page.Locator(".sb-apply-pending-dialog");
            await Expect(repair.Locator(".sb-plan-host[data-host=h2]")).ToContainTextAsync(device);
            await user.ApplyFromPreviewAsync(repair);
            await repair.Locator("button[data-action=close]").ClickAsync();
            await user.OpenAsync("hosts/h2");
            await page.Locator("[data-action=refresh]").ClickAsync();
            await Expect(page.Locator($"[data-drift={Segment}]")).ToHaveAttributeAsync("data-drift-state", "in-sync", new() { Timeout = 60_000 });

            // Detaching is a wanted change first (pending), then applied: the container leaves the bridge.
            await user.OpenAsync($"segments/{Segment}");
            await page.Locator($"[data-attachment='h2/{container}'] [data-action=detach]").ClickAsync();
            await page.Locator(".mud-dialog button[data-action=confirm]").ClickAsync();
            await Expect(page.Locator("[data-pending-changes]")).ToBeVisibleAsync();
            await page.Locator("button[data-action=apply-pending]").ClickAsync();
            var detach = page.Locator(".sb-apply-pending-dialog");
            await Expect(detach.Locator(".sb-plan-host[data-host=h2]")).ToContainTextAsync(container);
            await user.ApplyFromPreviewAsync(detach);
            await detach.Locator("button[data-action=close]").ClickAsync();
            await Expect(page.Locator("[data-no-attachments]")).ToBeVisibleAsync();
            var bridgeOfContainer = await _lab.RunOnHostAsync(h2, ["ip", "-o", "link", "show", "master", "superbr0"]);
            Assert.Equal([device], MemberNames(bridgeOfContainer.StandardOutput));

            await user.OpenAsync($"segments/{Segment}");
            await page.Locator("[data-action=teardown]").ClickAsync();
            var teardown = page.Locator(".sb-teardown-dialog");
            await teardown.Locator("input[data-field=confirm]").FillAsync(Segment);
            await teardown.Locator("button[data-action=teardown]").ClickAsync();
            await Expect(teardown.Locator("button[data-action=close]")).ToBeEnabledAsync(new() { Timeout = 240_000 });
            Assert.Equal("succeeded", await teardown.Locator("[data-result]").GetAttributeAsync("data-result"));
            await teardown.Locator("button[data-action=close]").ClickAsync();
            // Blazor navigates inside the page (history API): poll the address rather than wait for a load event.
            await Expect(page).ToHaveURLAsync(new Regex("/segments$"));
            await user.OpenAsync("audit");
            await Expect(page.Locator("[data-operation]").Filter(new() { HasText = "teardown" }).First).ToBeVisibleAsync();
            await Artifacts.ScreenshotAsync(page, "10-audit");
            foreach (var host in new[] { h1, h2 })
            {
                var links = await _lab.RunOnHostAsync(host, ["ip", "-o", "link", "show"]);
                Assert.DoesNotContain("superbr0", links.StandardOutput, StringComparison.Ordinal);
                Assert.DoesNotContain($"sbx-{Segment}", links.StandardOutput, StringComparison.Ordinal);
            }
        }
        catch
        {
            await Artifacts.ScreenshotAsync(page, "failure");
            await File.WriteAllTextAsync(Path.Combine(Artifacts.Directory, "failure.html"), await page.ContentAsync());
            await File.WriteAllTextAsync(Path.Combine(Artifacts.Directory, "failure-dashboard.log"), _dashboard.Output);
            throw;
        }
    }

    /// <summary>Device names from <c>ip -o link show</c> lines ("7: name@peer: &lt;...&gt; ...").</summary>
    private static string[] MemberNames(string ipOutput) =>
        ipOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(':')[1].Trim().Split('@')[0])
            .ToArray();

    private static bool InRange(string address, string first, string last)
    {
        if (!IPAddress.TryParse(address, out var ip)) return false;
        static uint Number(IPAddress a) => System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(a.GetAddressBytes());
        return Number(ip) >= Number(IPAddress.Parse(first)) && Number(ip) <= Number(IPAddress.Parse(last));
    }
}
