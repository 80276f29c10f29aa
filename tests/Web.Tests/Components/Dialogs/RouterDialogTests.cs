using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Superbridge.Core.Allocation;
using Superbridge.Core.Model;
using Superbridge.Core.Observed;
using Superbridge.Web.Tests.Components.Support;
using Superbridge.Web.Components.Dialogs;
using Superbridge.Web.Tests.Topology.Support;
using static Superbridge.Web.Tests.Topology.TopologyFixtures;

namespace Superbridge.Web.Tests.Components.Dialogs;

public sealed class RouterDialogTests : TopologyTestContext
{
    private async Task<IRenderedComponent<MudDialogProvider>> OpenAsync(string segment, string host, RouterMode mode = RouterMode.Gateway)
    {
        var provider = RenderProviders();
        var parameters = new DialogParameters<RouterDialog> { { d => d.SegmentId, segment }, { d => d.HostId, host }, { d => d.Mode, mode } };
        await provider.InvokeAsync(() => Services.GetRequiredService<IDialogService>().ShowAsync<RouterDialog>("Router", parameters));
        provider.WaitForAssertion(() => provider.Find("[data-action=preview]"));
        return provider;
    }

    private static string Value(IRenderedComponent<MudDialogProvider> provider, string field) =>
        provider.Find($"input[data-field={field}]").GetAttribute("value") ?? "";

    private static string FieldText(IRenderedComponent<MudDialogProvider> provider, string field) =>
        provider.Find($"input[data-field={field}]").Closest(".mud-input-control")!.TextContent;

    [Fact]
    public async Task Making_a_dhcp_router_starts_from_the_next_free_24_with_12h_leases_nat_and_the_segment_mtu()
    {
        await AddLabHostsAsync(2);
        var hosts = Known(2);
        var routed = Allocate(Vxlan("a", "h1", "h2"), hosts);
        await SaveAsync(Applied(routed));
        // An external router's NIC is checked against the host as observed (never its SSH NIC): h1 as captured.
        var h1 = InventoryFixtures.CurrentLabH1().Host;
        await SaveAsync(Pending(SegmentAllocator.Allocate(Vxlan("b", "h1", "h2") with
        {
            Bridge = "sbb0", Router = new RouterSpec { Host = "h1", Mode = RouterMode.External, ExternalInterface = InventoryFixtures.SpareNic(h1) },
        }, hosts.Infos(), [routed], new Dictionary<HostId, ObservedHost> { ["h1"] = h1 }).Value));

        var provider = await OpenAsync("b", "h2");

        Assert.Equal(("10.0.3.1/24", "10.0.3.2", "10.0.3.254", "12h"),
            (Value(provider, "gateway"), Value(provider, "rangeStart"), Value(provider, "rangeEnd"), Value(provider, "leaseTime")));
        Assert.Contains("mud-checked", provider.Find("[data-field=nat]").OuterHtml + provider.Find("input[data-field=nat], [data-field=nat] input").Closest(".mud-switch")!.OuterHtml);
        Assert.Contains("MTU 1450", provider.Find("[data-mtu]").TextContent);
        Assert.False(provider.Find("button[data-action=preview]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task A_bad_gateway_or_range_shows_cores_error_on_that_field()
    {
        await AddLabHostsAsync(2);
        await SaveAsync(Applied(Allocate(Vxlan("lan1", "h1", "h2"), Known(2))));
        var provider = await OpenAsync("lan1", "h1");

        provider.Find("input[data-field=gateway]").Change("10.0.2.300/24");
        provider.WaitForAssertion(() => Assert.Contains("'10.0.2.300/24' is not an IPv4 address with prefix", FieldText(provider, "gateway")));
        Assert.True(provider.Find("button[data-action=preview]").HasAttribute("disabled"));

        provider.Find("input[data-field=gateway]").Change("10.0.2.1/24");
        provider.Find("input[data-field=rangeEnd]").Change("10.0.3.9");
        provider.WaitForAssertion(() => Assert.Contains("10.0.3.9 is outside 10.0.2.0/24", FieldText(provider, "rangeEnd")));
    }

    [Fact]
    public async Task Moving_the_router_keeps_the_subnet_and_the_plan_tears_the_old_side_down()
    {
        await AddLabHostsAsync(2);
        await SaveAsync(Applied(Allocate(Vxlan("lan1", "h1", "h2"), Known(2))));
        var provider = await OpenAsync("lan1", "h2");

        Assert.Equal("10.0.2.1/24", Value(provider, "gateway"));
        Assert.Contains("Moves the router from h1 to h2", provider.Find("[data-moving]").TextContent);
        provider.Find("button[data-action=preview]").Click();

        provider.WaitForAssertion(() => provider.Find("[data-plan]"));
        var h1 = provider.FindAll("[data-host=h1] [data-command]").Select(c => c.TextContent).ToList();
        var h2 = provider.FindAll("[data-host=h2] [data-command]").Select(c => c.TextContent).ToList();
        Assert.Contains("ip addr del 10.0.2.1/24 dev superbr0", h1);
        Assert.Contains("ip addr add 10.0.2.1/24 dev superbr0", h2);
        Assert.Contains(h2, l => l.StartsWith("dnsmasq ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task External_mode_asks_for_the_interface_and_refuses_a_bad_name_or_the_ssh_nic()
    {
        await AddLabHostsAsync(2);
        var h2 = InventoryFixtures.CurrentLabH1("h2");
        Inventory.Answer(h2);
        await Board.RefreshAsync("h2");
        await SaveAsync(Applied(Allocate(Vxlan("lan1", "h1", "h2"), Known(2))));
        var provider = await OpenAsync("lan1", "h2", RouterMode.External);

        provider.Find("input[data-field=externalInterface]").Change("eth1;reboot");

        provider.WaitForAssertion(() => Assert.NotEmpty(FieldText(provider, "externalInterface").Replace("Physical interface", "").Replace("Joins the bridge; the router on that network serves the segment", "").Trim()));
        Assert.True(provider.Find("button[data-action=preview]").HasAttribute("disabled"));
        // The SSH NIC is refused with Core's reason on the field; a spare NIC of h2 is accepted.
        provider.Find("input[data-field=externalInterface]").Change("eth0");
        provider.WaitForAssertion(() => Assert.Contains("eth0 carries h2's SSH and tunnel address 198.51.100.2, the underlay of h2's tunnels, the default route", FieldText(provider, "externalInterface")));
        Assert.True(provider.Find("button[data-action=preview]").HasAttribute("disabled"));
        provider.Find("input[data-field=externalInterface]").Change(InventoryFixtures.SpareNic(h2.Host));
        provider.WaitForAssertion(() => Assert.False(provider.Find("button[data-action=preview]").HasAttribute("disabled")));
    }
}
