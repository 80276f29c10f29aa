using Bunit;
using Superbridge.Web.Components.Layout;
using Superbridge.Web.Tests.Components.Support;

namespace Superbridge.Web.Tests.Components.Layout;

public sealed class NavMenuTests : DashboardTestContext
{
    [Fact]
    public void The_menu_links_every_section_in_order()
    {
        var menu = Render<NavMenu>();

        Assert.Equal(["Overview", "Hosts", "Topology", "Segments", "Containers", "Audit"], menu.FindAll("a").Select(a => a.TextContent.Trim()));
        Assert.Equal(["", "hosts", "topology", "segments", "containers", "audit"], menu.FindAll("a").Select(a => a.GetAttribute("href")));
    }
}
