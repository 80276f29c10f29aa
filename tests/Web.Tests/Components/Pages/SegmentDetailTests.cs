using Bunit;
using MudBlazor;
using Superbridge.Web.Components.Pages;
using Superbridge.Web.Tests.Components.Support;
using Superbridge.Web.Tests.Topology.Support;
using static Superbridge.Web.Tests.Topology.TopologyFixtures;

namespace Superbridge.Web.Tests.Components.Pages;

public sealed class SegmentDetailTests : TopologyTestContext
{
    [Fact]
    public async Task The_page_shows_members_tunnels_with_their_paired_values_router_attachments_and_mtu()
    {
        await AddLabHostsAsync(3);
        var segment = Allocate(Gretap("backbone", ("h1", "h2"), ("h2", "h3")), Known(3));
        await SaveAsync(Applied(segment));
        RenderProviders();

        var page = Render<SegmentDetail>(p => p.Add(x => x.Id, "backbone"));

        page.WaitForAssertion(() => page.Find("[data-title]"));
        Assert.Equal(["h1", "h2", "h3"], page.FindAll("[data-member]").Select(m => m.GetAttribute("data-member")));
        Assert.NotNull(page.Find("[data-member=h1] [data-router-chip]"));
        Assert.Equal(2, page.FindAll("[data-action=make-router]").Count);
        Assert.Equal([$"key {segment.Allocation.Links[0].GreKey}", $"key {segment.Allocation.Links[1].GreKey}"],
            page.FindAll("[data-pairing]").Select(p => p.TextContent));
        Assert.Equal("10.0.2.1/24", page.Find("[data-gateway]").TextContent);
        Assert.Equal("1458", page.Find("[data-mtu]").TextContent);
        Assert.NotNull(page.Find("[data-no-attachments]"));
    }

    [Fact]
    public async Task Make_dhcp_router_opens_the_router_dialog_for_that_host()
    {
        await AddLabHostsAsync(2);
        await SaveAsync(Applied(Allocate(Vxlan("lab", "h1", "h2"), Known(2))));
        var dialogs = RenderProviders();
        var page = Render<SegmentDetail>(p => p.Add(x => x.Id, "lab"));
        page.WaitForAssertion(() => page.Find("[data-member=h2] [data-action=make-router]"));

        page.Find("[data-member=h2] button[data-action=make-router]").Click();

        dialogs.WaitForAssertion(() => Assert.Contains("Moves the router from h1 to h2", dialogs.Find("[data-moving]").TextContent));
        Assert.Equal("10.0.2.1/24", dialogs.Find("input[data-field=gateway]").GetAttribute("value"));
    }

    [Fact]
    public async Task Attached_containers_show_their_addresses_from_the_latest_inventory()
    {
        await AddLabHostsAsync(2);
        var h1 = InventoryFixtures.LabH1("h1");
        Inventory.Answer(h1);
        await Board.RefreshAsync("h1");
        var spec = Vxlan("lab", "h1", "h2") with { Bridge = "sbtest0", Attachments = [new Core.Model.AttachmentSpec("h1", "h1-c1")] };
        var segment = Superbridge.Core.Allocation.SegmentAllocator.Allocate(spec, Known(2).Infos(), [],
            new Dictionary<Core.Model.HostId, Core.Observed.ObservedHost> { ["h1"] = h1.Host }).Value;
        await SaveAsync(Applied(segment));
        RenderProviders();

        var page = Render<SegmentDetail>(p => p.Add(x => x.Id, "lab"));

        page.WaitForAssertion(() => page.Find("[data-attachment='h1/h1-c1']"));
        var expected = h1.Inventory.Containers.Single(c => c.Name == "h1-c1").Ipv4;
        Assert.Equal(expected.IsEmpty ? "—" : string.Join(", ", expected), page.Find("[data-attachment='h1/h1-c1'] [data-ipv4]").TextContent);
    }

    [Fact]
    public void An_unknown_segment_says_so()
    {
        RenderProviders();
        var page = Render<SegmentDetail>(p => p.Add(x => x.Id, "<script>x</script>"));

        page.WaitForAssertion(() => Assert.Contains("There is no segment named <script>x</script>.", page.Find("[data-missing]").TextContent));
        Assert.Empty(page.FindAll("[data-missing] script"));
    }
}
