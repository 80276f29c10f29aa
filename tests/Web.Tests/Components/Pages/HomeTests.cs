using Superbridge.Operations;
using Bunit;
using Superbridge.Ssh;
using Superbridge.Web.Components.Pages;
using Superbridge.Web.Tests.Components.Support;

namespace Superbridge.Web.Tests.Components.Pages;

public sealed class HomeTests : DashboardTestContext
{
    [Fact]
    public async Task The_overview_counts_hosts_online_and_offline_and_lists_recent_operations()
    {
        await AddHostAsync("h1", "198.51.100.1");
        await AddHostAsync("h2", "198.51.100.2");
        await AddHostAsync("h3", "198.51.100.3");
        Inventory.Answer(InventoryFixtures.LabH1("h1"));
        Inventory.Answer(InventoryFixtures.LabH1("h2"));
        Inventory.Answer(FakeHostInventorySource.Offline("h3", SshFailureReason.Timeout, "No answer."));
        var operation = (await Journal.QueueAsync(SegmentOperationKind.Apply, "lab", "admin", null)).Id;
        await Journal.FinishAsync(operation, OperationStatus.Failed, null, "h3 unreachable");
        RenderProviders();

        var page = Render<Home>();

        page.WaitForAssertion(() =>
        {
            Assert.Equal("3", page.Find("[data-value=hosts]").TextContent);
            Assert.Equal("2", page.Find("[data-value=online]").TextContent);
            Assert.Equal("1", page.Find("[data-value=offline]").TextContent);
        });
        Assert.Equal("0", page.Find("[data-value=segments]").TextContent);
        Assert.Equal("failed", page.Find($"[data-recent-operation=\"{operation}\"] [data-operation-status]").GetAttribute("data-operation-status"));
        Assert.Empty(page.FindAll("[data-alert=getting-started]"));
    }

    [Fact]
    public void Without_hosts_the_overview_says_where_to_start()
    {
        RenderProviders();

        var page = Render<Home>();

        page.WaitForAssertion(() => Assert.Contains("adding a host", page.Find("[data-alert=getting-started]").TextContent));
        Assert.Contains("No operations yet", page.Markup);
    }
}
