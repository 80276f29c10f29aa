using Bunit;
using TopologyPage = Superbridge.Web.Components.Pages.Topology;
using Superbridge.Web.Hosts;
using Superbridge.Web.Tests.Components.Support;
using Superbridge.Web.Tests.Topology.Support;
using static Superbridge.Web.Tests.Topology.TopologyFixtures;

namespace Superbridge.Web.Tests.Components.Pages;

public sealed class TopologyTests : TopologyTestContext
{
    public TopologyTests()
    {
        // The canvas renders only once interactive, and measures its container and ports in the browser: give it a size.
        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));
        JSInterop.Setup<Blazor.Diagrams.Core.Geometry.Rectangle>(_ => true).SetResult(new Blazor.Diagrams.Core.Geometry.Rectangle(0, 0, 1200, 800));
    }

    [Fact]
    public async Task Hosts_are_nodes_with_name_address_and_online_dot_and_segments_are_in_the_legend()
    {
        await AddLabHostsAsync(3);
        Inventory.Answer(InventoryFixtures.LabH1("h1"));
        await Board.RefreshAsync("h1");
        await SaveAsync(Applied(Allocate(Vxlan("lab", "h1", "h2"), Known(3))));
        RenderProviders();

        var page = Render<TopologyPage>();

        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-host-node]").Count));
        Assert.Equal(["h1", "h2", "h3"], page.FindAll("[data-host-node]").Select(n => n.GetAttribute("data-host-node")));
        Assert.Equal("198.51.100.2", page.Find("[data-host-node=h2] [data-host-address]").TextContent);
        page.WaitForAssertion(() => Assert.Equal("online", page.Find("[data-host-node=h1] [data-online]").GetAttribute("data-online")));
        Assert.Equal("lab", page.Find("[data-legend-segment]").GetAttribute("data-legend-segment"));
        Assert.Contains("VXLAN · 2 hosts · router h1", page.Find("[data-legend-segment]").TextContent);
    }

    [Fact]
    public async Task A_host_name_with_markup_is_shown_as_text()
    {
        await Hosts.AddAsync(Host("evil", "198.51.100.66") with { Name = "<img src=x onerror=alert(1)>" });
        RenderProviders();

        var page = Render<TopologyPage>();

        page.WaitForAssertion(() => Assert.Equal("<img src=x onerror=alert(1)>", page.Find("[data-host-node=evil] [data-host-name]").TextContent));
        Assert.Empty(page.FindAll("[data-host-node] img[onerror]"));
    }

    [Fact]
    public async Task A_tunnel_drawn_between_two_hosts_opens_the_dialog_for_them()
    {
        await AddLabHostsAsync(2);
        var dialogs = RenderProviders();
        var page = Render<TopologyPage>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-host-node]").Count));

        _ = page.InvokeAsync(() => page.Instance.CreateTunnelAsync("h1", "h2"));

        dialogs.WaitForAssertion(() => Assert.Contains("Tunnel h1 ⟷ h2", dialogs.Find(".mud-dialog-title").TextContent));
    }
}
