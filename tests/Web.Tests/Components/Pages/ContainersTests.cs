using Bunit;
using Superbridge.Core.Allocation;
using Superbridge.Core.Model;
using Superbridge.Core.Observed;
using Superbridge.Operations;
using Superbridge.Web.Components.Pages;
using Superbridge.Web.Tests.Components.Support;
using Superbridge.Web.Tests.Topology;
using Superbridge.Web.Tests.Topology.Support;
using static Superbridge.Web.Tests.Topology.TopologyFixtures;

namespace Superbridge.Web.Tests.Components.Pages;

public sealed class ContainersTests : TopologyTestContext
{
    /// <summary>Two lab hosts read from the captured h1 inventory (containers h1-c1, h1-c2 each); h1-c1 on h1 attached to "lab".</summary>
    private async Task LabAsync()
    {
        await AddLabHostsAsync(2);
        var h1 = InventoryFixtures.LabH1("h1");
        Inventory.Answer(h1);
        Inventory.Answer(InventoryFixtures.LabH1("h2"));
        await Board.RefreshAsync("h1");
        await Board.RefreshAsync("h2");
        var spec = Vxlan("lab", "h1", "h2") with { Bridge = "sbtest0", Attachments = [new AttachmentSpec("h1", "h1-c1")] };
        var observed = new Dictionary<HostId, ObservedHost> { ["h1"] = h1.Host };
        await SaveAsync(new SegmentRecord(SegmentAllocator.Allocate(spec, Known(2).Infos(), [], observed).Value, null));
    }

    [Fact]
    public async Task Every_hosts_containers_are_listed_side_by_side_with_state_and_networks()
    {
        await LabAsync();
        RenderProviders();

        var page = Render<Containers>();

        page.WaitForAssertion(() => Assert.Equal(4, page.FindAll("[data-testid=container-name]").Count));
        Assert.Equal(["h1-c1", "h1-c2", "h1-c1", "h1-c2"], page.FindAll("[data-testid=container-name]").Select(c => c.TextContent.Trim()));
        Assert.All(page.FindAll("tbody tr"), row => Assert.Contains("RUNNING", row.TextContent));
        // The lab's containers have one network whose link the product sets later: attached to no bridge yet.
        Assert.All(page.FindAll("[data-testid=container-interfaces]"), c => Assert.Contains("net.0 → no bridge", c.TextContent));
    }

    [Fact]
    public async Task An_attached_container_offers_detach_and_the_others_on_member_hosts_offer_attach()
    {
        await LabAsync();
        RenderProviders();

        var page = Render<Containers>();

        page.WaitForAssertion(() => Assert.Equal(4, page.FindAll("tbody tr").Count));
        var rows = page.FindAll("tbody tr");
        Assert.Equal(["Detach from lab", "Attach to lab", "Attach to lab", "Attach to lab"],
            rows.Select(r => r.QuerySelector("[data-action=detach], [data-action=attach]")!.TextContent.Trim()));
    }

    [Fact]
    public async Task Filtering_by_host_and_by_text_narrows_the_list()
    {
        await LabAsync();
        RenderProviders();
        var page = Render<Containers>();
        page.WaitForAssertion(() => Assert.Equal(4, page.FindAll("[data-testid=container-name]").Count));

        page.Find("input[data-testid=filter-text]").Input("c2");

        page.WaitForAssertion(() => Assert.Equal(["h1-c2", "h1-c2"], page.FindAll("[data-testid=container-name]").Select(c => c.TextContent.Trim())));
        Assert.Equal(["h1", "h2"], page.FindAll("tbody tr td:first-child").Select(c => c.TextContent.Trim()));
    }
}
