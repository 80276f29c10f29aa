using Bunit;
using Superbridge.Ssh;
using HostsPage = Superbridge.Web.Components.Pages.Hosts;
using Superbridge.Web.Inventory;
using Superbridge.Web.Tests.Components.Support;

namespace Superbridge.Web.Tests.Components.Pages;

public sealed class HostsTests : DashboardTestContext
{
    [Fact]
    public async Task Each_host_shows_status_features_containers_user_and_fingerprint()
    {
        await AddHostAsync("ha", "198.51.100.77");
        await AddHostAsync("hb", "198.51.100.78", sudo: true, user: "sblab");
        Inventory.Answer(InventoryFixtures.Capture("ha"));
        Inventory.Answer(FakeHostInventorySource.Offline("hb", SshFailureReason.AuthFailed, "Permission denied (publickey) for sblab@198.51.100.78:22"));
        RenderProviders();

        var page = Render<HostsPage>();

        page.WaitForAssertion(() =>
        {
            Assert.Equal("online", Row(page, "ha").QuerySelector("[data-status]")!.GetAttribute("data-status"));
            Assert.Equal("offline", Row(page, "hb").QuerySelector("[data-status]")!.GetAttribute("data-status"));
        });
        var ha = Row(page, "ha");
        Assert.Equal("3", ha.QuerySelector("[data-containers]")!.TextContent.Trim());
        Assert.Equal(
            ["gretap:false", "L2TPv3:false", "VXLAN:true", "LXC:true"],
            ha.QuerySelectorAll("[data-feature]").Select(c => $"{c.GetAttribute("data-feature")}:{c.GetAttribute("data-present")}"));
        Assert.Equal(FakeHostRegistrar.Fingerprint, ha.QuerySelector("[data-fingerprint]")!.GetAttribute("data-fingerprint"));
        Assert.Null(ha.QuerySelector("[data-sudo]"));
        var hb = Row(page, "hb");
        Assert.Equal("AuthFailed", hb.QuerySelector("[data-reason]")!.GetAttribute("data-reason"));
        Assert.Contains("login refused", hb.QuerySelector("[data-reason]")!.TextContent);
        Assert.NotNull(hb.QuerySelector("[data-sudo]"));
        Assert.Contains("sblab", hb.TextContent);
    }

    [Fact]
    public async Task Refresh_all_updates_each_row_as_its_answer_arrives_so_a_slow_host_holds_no_one_up()
    {
        await AddHostAsync("fast", "198.51.100.1");
        await AddHostAsync("slow", "198.51.100.2");
        Inventory.Answer(InventoryFixtures.LabH1("fast"));
        var slow = Inventory.Hold("slow");
        RenderProviders();
        var page = Render<HostsPage>();
        page.WaitForAssertion(() => Assert.Equal("online", Status(page, "fast")));

        // Retried only when a render replaced the button between finding and clicking it.
        page.WaitForAssertion(() => page.Find("button[data-action=refresh-all]").Click());

        page.WaitForAssertion(() =>
        {
            Assert.Equal("online", Status(page, "fast"));
            Assert.Null(Row(page, "fast").QuerySelector(".sb-refreshing"));
            Assert.NotNull(Row(page, "slow").QuerySelector(".sb-refreshing"));
            Assert.Contains("Refreshing 1/2", page.Find("button[data-action=refresh-all]").TextContent);
        });

        slow.SetResult(FakeHostInventorySource.Offline("slow", SshFailureReason.Timeout, "No inventory from 198.51.100.2:22 within 20 s."));

        page.WaitForAssertion(() =>
        {
            Assert.Equal("offline", Status(page, "slow"));
            Assert.Null(Row(page, "slow").QuerySelector(".sb-refreshing"));
            Assert.Contains("Refresh all", page.Find("button[data-action=refresh-all]").TextContent);
        });
    }

    [Fact]
    public async Task Deleting_asks_first_and_cancelling_keeps_the_host()
    {
        await AddHostAsync("h1");
        var dialogs = RenderProviders();
        var page = Render<HostsPage>();
        page.WaitForAssertion(() => Assert.Equal("offline", Status(page, "h1")));

        page.WaitForAssertion(() => Row(page, "h1").QuerySelector("button[data-action=delete]")!.Click());
        dialogs.WaitForAssertion(() => Assert.Contains("Delete h1?", dialogs.Markup));
        dialogs.Find("button[data-action=cancel]").Click();

        dialogs.WaitForAssertion(() => Assert.DoesNotContain("Delete h1?", dialogs.Markup));
        Assert.Empty(Registrar.Removed);
        Assert.NotNull(await Hosts.FindAsync("h1"));
    }

    [Fact]
    public async Task Deleting_after_confirming_removes_the_row()
    {
        await AddHostAsync("h1");
        await AddHostAsync("h2", "198.51.100.2");
        var dialogs = RenderProviders();
        var page = Render<HostsPage>();
        // Both rows settled (no answer configured: offline), so no refresh re-renders the grid under the click.
        page.WaitForAssertion(() => Assert.Equal(["offline", "offline"], new[] { Status(page, "h1"), Status(page, "h2") }));

        page.WaitForAssertion(() => Row(page, "h1").QuerySelector("button[data-action=delete]")!.Click());
        dialogs.WaitForAssertion(() => dialogs.Find("button[data-action=confirm]"));
        dialogs.Find("button[data-action=confirm]").Click();

        page.WaitForAssertion(() => Assert.Empty(page.FindAll("td[data-host=h1]")));
        Assert.Equal(["h1"], Registrar.Removed);
        Assert.Null(await Hosts.FindAsync("h1"));
        Assert.NotNull(Row(page, "h2"));
    }

    [Fact]
    public async Task A_host_added_in_the_dialog_appears_in_the_grid_and_is_refreshed()
    {
        Inventory.Answer(InventoryFixtures.LabH1("198.51.100.1"));
        var dialogs = RenderProviders();
        var page = Render<HostsPage>();
        page.WaitForAssertion(() => page.Find("[data-empty=hosts]"));

        page.WaitForAssertion(() => page.Find("button[data-action=add-host]").Click());
        dialogs.WaitForAssertion(() => dialogs.Find("input[data-field=address]").Change("198.51.100.1"));
        dialogs.Find("input[data-field=privateKeyPath]").Change("/etc/hostname");
        dialogs.Find("button[data-action=connect]").Click();
        dialogs.WaitForAssertion(() => dialogs.Find("input[data-confirm=compared]").Change(true));
        dialogs.Find("button[data-action=add]").Click();

        page.WaitForAssertion(() => Assert.Equal("online", Status(page, "198.51.100.1")));
        Snackbars!.WaitForAssertion(() => Assert.Contains("Host 198.51.100.1 added", Snackbars.Markup));
    }

    [Fact]
    public void With_no_hosts_the_page_invites_to_add_one()
    {
        RenderProviders();
        var page = Render<HostsPage>();

        page.WaitForAssertion(() => Assert.Contains("No hosts yet", page.Find("[data-empty=hosts]").TextContent));
    }

    private static AngleSharp.Dom.IElement Row(IRenderedComponent<HostsPage> page, string id) =>
        page.Find($"td[data-host=\"{id}\"]").ParentElement!;

    private static string? Status(IRenderedComponent<HostsPage> page, string id) =>
        Row(page, id).QuerySelector("[data-status]")?.GetAttribute("data-status");
}
