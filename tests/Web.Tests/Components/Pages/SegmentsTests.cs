using Superbridge.Operations;
using Bunit;
using Superbridge.Core.Allocation;
using Superbridge.Core.Model;
using Superbridge.Core.Observed;
using Superbridge.Web.Tests.Components.Support;
using SegmentsPage = Superbridge.Web.Components.Pages.Segments;
using Superbridge.Web.Tests.Topology.Support;
using static Superbridge.Web.Tests.Topology.TopologyFixtures;

namespace Superbridge.Web.Tests.Components.Pages;

public sealed class SegmentsTests : TopologyTestContext
{
    [Fact]
    public async Task Each_segment_shows_transport_members_router_containers_mtu_and_whether_it_is_applied()
    {
        await AddLabHostsAsync(3);
        var hosts = Known(3);
        var vx = Allocate(Vxlan("lab", "h1", "h2", "h3"), hosts);
        // An external router's NIC is checked against the host as observed: h2 as lab host h1 was captured, with a
        // kernel that has gretap (the capture's has not; nothing runs here).
        var h2 = InventoryFixtures.CurrentLabH1("h2").Host with { Features = new KernelFeatures(true, true, true, true, true, true) };
        var nic = InventoryFixtures.SpareNic(h2);
        var gre = SegmentAllocator.Allocate(Gretap("backbone", ("h1", "h2")) with
        {
            Bridge = "sbbb0", Router = new RouterSpec { Host = "h2", Mode = RouterMode.External, ExternalInterface = nic },
        }, hosts.Infos(), [vx], new Dictionary<HostId, ObservedHost> { ["h2"] = h2 }).Value;
        await SaveAsync(Applied(vx));
        await SaveAsync(Pending(gre));
        RenderProviders();

        var page = Render<SegmentsPage>();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-segment]").Count));
        var rows = page.FindAll("tbody tr");
        Assert.Equal(["backbone", "lab"], page.FindAll("[data-segment]").Select(s => s.GetAttribute("data-segment")));
        Assert.Equal("Gretap", rows[0].QuerySelector("[data-transport]")!.GetAttribute("data-transport"));
        Assert.Equal($"h2 · external {nic}", rows[0].QuerySelector("[data-router]")!.TextContent);
        Assert.Equal("1458", rows[0].QuerySelector("[data-mtu]")!.TextContent);
        Assert.Equal("not-applied", rows[0].QuerySelector("[data-state]")!.GetAttribute("data-state"));
        Assert.Equal("h1, h2, h3", rows[1].QuerySelector("[data-members]")!.TextContent);
        Assert.Equal("h1 · 10.0.2.1/24", rows[1].QuerySelector("[data-router]")!.TextContent);
        Assert.Equal("1450", rows[1].QuerySelector("[data-mtu]")!.TextContent);
        Assert.Equal("applied", rows[1].QuerySelector("[data-state]")!.GetAttribute("data-state"));
    }

    [Fact]
    public async Task A_changed_segment_shows_pending_changes()
    {
        await AddLabHostsAsync(2);
        var applied = Allocate(Vxlan("lab", "h1", "h2"), Known(2));
        await SaveAsync(new SegmentRecord(applied with { Spec = applied.Spec with { Mtu = 1400 } }, applied));
        RenderProviders();

        var page = Render<SegmentsPage>();

        page.WaitForAssertion(() => Assert.Equal("pending", page.Find("[data-state]").GetAttribute("data-state")));
        Assert.Equal("1400", page.Find("[data-mtu]").TextContent);
    }

    [Fact]
    public void Without_segments_the_page_points_to_the_topology()
    {
        RenderProviders();
        var page = Render<SegmentsPage>();

        page.WaitForAssertion(() => page.Find("[data-empty=segments]"));
    }
}
