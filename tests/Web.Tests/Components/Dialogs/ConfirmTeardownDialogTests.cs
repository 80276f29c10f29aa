using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Superbridge.Operations;
using Superbridge.Ssh.Apply;
using Superbridge.Web.Components.Dialogs;
using Superbridge.Web.Tests.Topology;
using Superbridge.Web.Tests.Topology.Support;
using static Superbridge.Web.Tests.Topology.TopologyFixtures;

namespace Superbridge.Web.Tests.Components.Dialogs;

public sealed class ConfirmTeardownDialogTests : TopologyTestContext
{
    [Fact]
    public async Task Teardown_shows_what_it_removes_and_runs_only_once_the_exact_name_is_typed()
    {
        await AddLabHostsAsync(2);
        await SaveAsync(Applied(Allocate(Vxlan("lan1", "h1", "h2"), Known(2))));
        var provider = RenderProviders();
        await provider.InvokeAsync(() => Services.GetRequiredService<IDialogService>().ShowAsync<ConfirmTeardownDialog>("Tear down",
            new DialogParameters<ConfirmTeardownDialog> { { d => d.SegmentId, "lan1" } }));
        provider.WaitForAssertion(() => provider.Find("[data-plan]"));
        Assert.Contains("ip link del dev superbr0", provider.FindAll("[data-host=h2] [data-command]").Select(c => c.TextContent));

        Assert.True(provider.Find("button[data-action=teardown]").HasAttribute("disabled"));
        provider.Find("input[data-field=confirm]").Input("LAN1");
        provider.WaitForAssertion(() => Assert.True(provider.Find("button[data-action=teardown]").HasAttribute("disabled")));
        provider.Find("input[data-field=confirm]").Input("lan1");
        provider.WaitForAssertion(() => Assert.False(provider.Find("button[data-action=teardown]").HasAttribute("disabled")));

        provider.Find("button[data-action=teardown]").Click();

        provider.WaitForAssertion(() => Assert.Equal(("lan1", "dashboard"), Assert.Single(Runner.TornDown)));
        await Runner.Events.Writer.WriteAsync(new OperationCompleted(DateTimeOffset.UnixEpoch,
            ApplyLogModelTests.Result(ApplyStatus.Succeeded) with { Operation = SegmentOperationKind.Teardown }));
        Runner.Events.Writer.Complete();
        provider.WaitForAssertion(() => Assert.StartsWith("Teardown succeeded", provider.Find("[data-banner]").TextContent.Trim()));
    }
}
