using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Superbridge.Operations;
using Superbridge.Ssh.Apply;
using Superbridge.Web.Components.Dialogs;
using Superbridge.Web.Tests.Components.Support;
using Superbridge.Web.Tests.Topology;
using Superbridge.Web.Tests.Topology.Support;
using static Superbridge.Web.Tests.Topology.TopologyFixtures;

namespace Superbridge.Web.Tests.Components.Dialogs;

public sealed class AttachContainerDialogTests : TopologyTestContext
{
    [Fact]
    public async Task Attaching_a_container_from_the_inventory_applies_it_then_watches_it_get_an_address_in_the_range()
    {
        await AddLabHostsAsync(2);
        var h1 = InventoryFixtures.LabH1("h1");
        Inventory.Answer(h1);
        await SaveAsync(Applied(Allocate(Vxlan("lan1", "h1", "h2") with { Bridge = "sbtest0" }, Known(2))));
        var provider = RenderProviders();
        var parameters = new DialogParameters<AttachContainerDialog> { { d => d.SegmentId, "lan1" }, { d => d.HostId, "h1" } };
        await provider.InvokeAsync(() => Services.GetRequiredService<IDialogService>().ShowAsync<AttachContainerDialog>("Attach", parameters));

        provider.WaitForAssertion(() => Assert.Equal("h1-c1 · RUNNING", provider.Find("[data-field=container]").TextContent));
        provider.WaitForAssertion(() => Assert.False(provider.Find("button[data-action=preview]").HasAttribute("disabled")));
        provider.Find("button[data-action=preview]").Click();
        provider.WaitForAssertion(() => Assert.Contains(provider.FindAll("[data-host=h1] [data-command]"), c => c.TextContent.Contains("h1-c1", StringComparison.Ordinal)));
        provider.Find("button[data-action=apply]").Click();
        provider.WaitForAssertion(() => Assert.Single(Runner.Applied));
        Assert.Equal("h1-c1", Runner.Applied.Single().Spec.Attachments.Single().Container);

        await Runner.Events.Writer.WriteAsync(new OperationCompleted(DateTimeOffset.UnixEpoch, ApplyLogModelTests.Result(ApplyStatus.Succeeded)));
        Runner.Events.Writer.Complete();
        provider.WaitForAssertion(() => Assert.Contains("Waiting for h1-c1 to get an address in 10.0.2.2–10.0.2.254", provider.Find("[data-waiting]").TextContent));

        var containers = h1.Inventory.Containers;
        var index = containers.IndexOf(containers.Single(c => c.Name == "h1-c1"));
        Inventory.Answer(h1 with { Inventory = h1.Inventory with { Containers = containers.SetItem(index, containers[index] with { Ipv4 = ["169.254.3.3", "10.0.2.57"] }) } });

        provider.WaitForAssertion(() => Assert.Equal("10.0.2.57", provider.Find("[data-leased]").TextContent));
    }
}
