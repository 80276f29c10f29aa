using Bunit;
using Superbridge.Core.Allocation;
using Superbridge.Core.Model;
using Superbridge.Core.Observed;
using Superbridge.Web.Components.Pages;
using Superbridge.Web.Tests.Components.Support;
using Superbridge.Web.Tests.Topology.Support;
using static Superbridge.Web.Tests.Topology.TopologyFixtures;

namespace Superbridge.Web.Tests.Components.Pages;

/// <summary>The segment page's uplink card, with h1 answering the captured lab inventory (eth0 = SSH, default route; lo; two container veths).</summary>
public sealed class SegmentUplinkTests : TopologyTestContext
{
    private static readonly SegmentSpec Lab = Vxlan("lab", "h1", "h2") with { Bridge = "sbtest0" };

    private async Task<ObservedHost> ObserveH1Async()
    {
        await AddLabHostsAsync(2);
        var h1 = InventoryFixtures.CurrentLabH1("h1");
        Inventory.Answer(h1);
        Inventory.Answer(InventoryFixtures.CurrentLabH1("h2"));
        await Board.RefreshAsync("h1");
        return h1.Host;
    }

    private static Segment Allocated(SegmentSpec spec, ObservedHost h1) =>
        SegmentAllocator.Allocate(spec, Known(2).Infos(), [], new Dictionary<HostId, ObservedHost> { ["h1"] = h1 }).Value;

    private IRenderedComponent<SegmentDetail> Open()
    {
        RenderProviders();
        var page = Render<SegmentDetail>(p => p.Add(x => x.Id, "lab"));
        page.WaitForAssertion(() => page.Find("[data-uplinks-card] [data-nic=eth0]"));
        return page;
    }

    [Fact]
    public async Task The_picker_lists_the_hosts_nics_and_disables_the_ssh_nic_and_loopback_with_the_reason()
    {
        var h1 = await ObserveH1Async();
        await SaveAsync(Applied(Allocated(Lab, h1)));

        var page = Open();

        Assert.NotNull(page.Find("[data-no-uplinks]"));
        Assert.True(page.Find("[data-nic=eth0] button[data-action=add-uplink]").HasAttribute("disabled"));
        Assert.StartsWith("eth0 carries h1's SSH and tunnel address 198.51.100.1, the underlay of h1's tunnels, the default route",
            page.Find("[data-nic=eth0] [data-refusal]").TextContent);
        Assert.True(page.Find("[data-nic=lo] button[data-action=add-uplink]").HasAttribute("disabled"));
        Assert.Equal("lo is the loopback interface", page.Find("[data-nic=lo] [data-refusal]").TextContent);
        var spare = InventoryFixtures.SpareNic(h1);
        Assert.False(page.Find($"[data-nic={spare}] button[data-action=add-uplink]").HasAttribute("disabled"));
        Assert.Equal("", page.Find($"[data-nic={spare}] [data-refusal]").TextContent);
    }

    [Fact]
    public async Task The_external_routers_interface_is_not_offered_again()
    {
        var h1 = await ObserveH1Async();
        var spare = InventoryFixtures.SpareNic(h1);
        await SaveAsync(Applied(Allocated(Lab with { Router = new RouterSpec { Host = "h1", Mode = RouterMode.External, ExternalInterface = spare } }, h1)));

        var page = Open();

        Assert.True(page.Find($"[data-nic={spare}] button[data-action=add-uplink]").HasAttribute("disabled"));
        Assert.Equal("already the external router's interface", page.Find($"[data-nic={spare}] [data-refusal]").TextContent);
    }

    [Fact]
    public async Task A_host_never_observed_lists_no_nics_and_says_why()
    {
        var h1 = await ObserveH1Async();
        await SaveAsync(Applied(Allocated(Lab, h1)));
        var page = Open();

        await page.InvokeAsync(() => page.FindComponent<MudBlazor.MudSelect<string>>().Instance.ValueChanged.InvokeAsync("h2"));

        page.WaitForAssertion(() => Assert.Equal("h2 has not been observed yet: refresh it to list its NICs.", page.Find("[data-not-observed]").TextContent));
        Assert.Empty(page.FindAll("[data-nic]"));
    }

    [Fact]
    public async Task Adding_a_nic_changes_only_the_wanted_state_and_apply_previews_joining_it_to_the_bridge()
    {
        var h1 = await ObserveH1Async();
        await SaveAsync(Applied(Allocated(Lab, h1)));
        var dialogs = RenderProviders();
        var page = Render<SegmentDetail>(p => p.Add(x => x.Id, "lab"));
        var spare = InventoryFixtures.SpareNic(h1);
        page.WaitForAssertion(() => page.Find($"[data-nic={spare}] button[data-action=add-uplink]"));

        page.Find($"[data-nic={spare}] button[data-action=add-uplink]").Click();

        page.WaitForAssertion(() => Assert.Equal("add", page.Find($"[data-uplink='h1/{spare}']").GetAttribute("data-pending")));
        Assert.Equal("already an uplink of this segment", page.Find($"[data-nic={spare}] [data-refusal]").TextContent);
        var stored = await Segments.FindAsync("lab");
        Assert.Equal(new UplinkSpec("h1", spare), Assert.Single(stored!.Desired.Spec.Uplinks));
        Assert.Empty(stored.Applied!.Spec.Uplinks);
        Assert.Empty(Runner.Applied);

        page.Find("button[data-action=apply-pending]").Click();

        dialogs.WaitForAssertion(() => Assert.NotEmpty(dialogs.FindAll("[data-plan=lab] [data-host=h1] [data-command]")));
        // The veth is up in the capture: only joining it is left to do.
        Assert.Equal([$"ip link set dev {spare} master sbtest0"],
            dialogs.FindAll("[data-plan=lab] [data-host=h1] [data-command]").Select(c => c.TextContent));
        Assert.Empty(dialogs.FindAll("[data-plan=lab] [data-host=h2] [data-command]"));
    }

    [Fact]
    public async Task Removing_an_applied_uplink_leaves_it_pending_removal_until_apply()
    {
        var h1 = await ObserveH1Async();
        var spare = InventoryFixtures.SpareNic(h1);
        await SaveAsync(Applied(Allocated(Lab with { Uplinks = [new UplinkSpec("h1", spare)] }, h1)));
        var page = Open();
        Assert.Equal("none", page.Find($"[data-uplink='h1/{spare}']").GetAttribute("data-pending"));

        page.Find($"[data-uplink='h1/{spare}'] button[data-action=remove-uplink]").Click();

        page.WaitForAssertion(() => Assert.Equal("remove", page.Find($"[data-uplink='h1/{spare}']").GetAttribute("data-pending")));
        Assert.Empty(page.FindAll($"[data-uplink='h1/{spare}'] [data-action=remove-uplink]"));
        var stored = await Segments.FindAsync("lab");
        Assert.Empty(stored!.Desired.Spec.Uplinks);
        Assert.Equal(new UplinkSpec("h1", spare), Assert.Single(stored.Applied!.Spec.Uplinks));
    }
}
