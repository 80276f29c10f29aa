using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Superbridge.Core.Model;
using Superbridge.Operations;
using Superbridge.Ssh.Apply;
using Superbridge.Web.Components.Dialogs;
using Superbridge.Web.Tests.Topology;
using Superbridge.Web.Tests.Topology.Support;
using static Superbridge.Web.Tests.Topology.TopologyFixtures;

namespace Superbridge.Web.Tests.Components.Dialogs;

public sealed class CreateTunnelDialogTests : TopologyTestContext
{
    private async Task<(IRenderedComponent<MudDialogProvider> Provider, IDialogReference Dialog)> OpenAsync(string a, string b, string? segment = null)
    {
        var provider = RenderProviders();
        IDialogReference? dialog = null;
        var parameters = new DialogParameters<CreateTunnelDialog> { { d => d.HostA, a }, { d => d.HostB, b }, { d => d.Segment, segment } };
        await provider.InvokeAsync(async () => dialog = await Services.GetRequiredService<IDialogService>()
            .ShowAsync<CreateTunnelDialog>("Tunnel", parameters, new DialogOptions { MaxWidth = MaxWidth.Large, FullWidth = true }));
        provider.WaitForAssertion(() => provider.Find("[data-action=preview]"));
        return (provider, dialog!);
    }

    private static void ExpandAdvanced(IRenderedComponent<MudDialogProvider> provider) =>
        provider.Find(".mud-expand-panel-header").Click();

    private static string FieldText(IRenderedComponent<MudDialogProvider> provider, string field) =>
        provider.Find($"input[data-field={field}]").Closest(".mud-input-control")!.TextContent;

    private static bool PreviewDisabled(IRenderedComponent<MudDialogProvider> provider) =>
        provider.Find("button[data-action=preview]").HasAttribute("disabled");

    [Fact]
    public async Task A_new_vxlan_tunnel_shows_the_auto_paired_vni_devices_and_mtu_under_advanced()
    {
        await AddLabHostsAsync(2);
        var (provider, _) = await OpenAsync("h1", "h2");

        Assert.Equal("lan1", provider.Find("input[data-field=name]").GetAttribute("value"));
        Assert.Equal("superbr0", provider.Find("input[data-field=bridge]").GetAttribute("value"));
        Assert.Contains("10.0.2.1/24", provider.Find("[data-router-summary]").TextContent);
        ExpandAdvanced(provider);

        provider.WaitForAssertion(() => Assert.Equal("1", provider.Find("input[data-field=vni]").GetAttribute("value")));
        Assert.Equal("1450", provider.Find("input[data-field=mtu]").GetAttribute("value"));
        Assert.Equal(["h1:sbx-lan1-0", "h2:sbx-lan1-0"],
            provider.FindAll("[data-device-host]").Select(r => $"{r.GetAttribute("data-device-host")}:{r.QuerySelector("[data-device]")!.TextContent}"));
        Assert.False(PreviewDisabled(provider));
    }

    [Fact]
    public async Task A_tunnel_id_of_0_shows_cores_error_on_that_field_and_blocks_the_preview()
    {
        await AddLabHostsAsync(3);
        var hosts = Known(3);
        await SaveAsync(Applied(Allocate(new SegmentSpec
        {
            Name = "backbone", Transport = Transport.L2tpv3Ip, Members = ["h1", "h2"], Links = [new LinkSpec { A = "h1", B = "h2" }], Router = Gateway("h1"),
        }, hosts)));
        var (provider, _) = await OpenAsync("h2", "h3", segment: "backbone");
        ExpandAdvanced(provider);
        provider.WaitForAssertion(() => Assert.Equal("2", provider.Find("input[data-field=tunnelId]").GetAttribute("value")));

        provider.Find("input[data-field=tunnelId]").Change("0");

        provider.WaitForAssertion(() => Assert.Contains("0 is outside 1..4294967295", FieldText(provider, "tunnelId")));
        Assert.DoesNotContain("outside", FieldText(provider, "peerTunnelId"));
        Assert.True(PreviewDisabled(provider));

        provider.Find("input[data-field=tunnelId]").Change("abc");
        provider.WaitForAssertion(() => Assert.Contains("'abc' is not a whole number", FieldText(provider, "tunnelId")));

        provider.Find("input[data-field=tunnelId]").Change("4000");
        provider.WaitForAssertion(() => Assert.False(PreviewDisabled(provider)));
        Assert.Contains("pinned", FieldText(provider, "tunnelId"));
    }

    [Fact]
    public async Task A_tunnel_that_closes_a_loop_is_refused_with_the_cycle_named_until_stp_is_ticked()
    {
        await AddLabHostsAsync(3);
        await SaveAsync(Applied(Allocate(Gretap("backbone", ("h1", "h2"), ("h2", "h3")), Known(3))));
        var (provider, _) = await OpenAsync("h3", "h1", segment: "backbone");

        Assert.Equal("This tunnel would make a loop. links h1–h2–h3–h1 form a cycle; remove a link or enable STP",
            provider.Find("[data-loop]").TextContent.Trim());
        Assert.True(PreviewDisabled(provider));

        provider.Find("input[data-field=stp], [data-field=stp] input").Change(true);

        provider.WaitForAssertion(() => Assert.Empty(provider.FindAll("[data-loop]")));
        Assert.False(PreviewDisabled(provider));
    }

    [Fact]
    public async Task A_segment_name_with_markup_is_refused_on_its_field_and_stays_text()
    {
        await AddLabHostsAsync(2);
        var (provider, _) = await OpenAsync("h1", "h2");

        provider.Find("input[data-field=name]").Input("<b>LAN</b>");

        provider.WaitForAssertion(() => Assert.Contains("must be 1..32 lowercase letters, digits or '-' starting with a letter or digit", FieldText(provider, "name")));
        Assert.Equal("<b>LAN</b>", provider.Find("input[data-field=name]").GetAttribute("value"));
        Assert.DoesNotContain(provider.FindAll(".mud-dialog b"), b => b.TextContent == "LAN");
        Assert.True(PreviewDisabled(provider));
    }

    [Fact]
    public async Task Preview_shows_the_plan_then_apply_streams_the_log_and_closes_with_the_status()
    {
        await AddLabHostsAsync(2);
        var (provider, dialog) = await OpenAsync("h1", "h2");

        provider.Find("button[data-action=preview]").Click();
        provider.WaitForAssertion(() => Assert.Equal(["h1", "h2"], provider.FindAll("[data-plan] [data-host]").Select(h => h.GetAttribute("data-host"))));
        Assert.Contains("ip link add sbx-lan1-0 type vxlan id 1 local 198.51.100.2 dstport 4789",
            provider.FindAll("[data-host=h2] [data-command]").Select(c => c.TextContent));

        provider.Find("button[data-action=apply]").Click();
        provider.WaitForAssertion(() => Assert.Single(Runner.Applied));
        var (spec, user) = Runner.Applied.Single();
        Assert.Equal(("lan1", Transport.Vxlan, "dashboard"), (spec.Name, spec.Transport, user));
        Assert.True(provider.Find("button[data-action=close]").HasAttribute("disabled"));

        var plan = ApplyLogModelTests.Plan(("h1", ["br"]), ("h2", ["br"]));
        await Runner.Events.Writer.WriteAsync(new PlanReady(DateTimeOffset.UnixEpoch, plan));
        await Runner.Events.Writer.WriteAsync(new OperationCompleted(DateTimeOffset.UnixEpoch, ApplyLogModelTests.Result(ApplyStatus.Succeeded)));
        Runner.Events.Writer.Complete();

        provider.WaitForAssertion(() => Assert.False(provider.Find("button[data-action=close]").HasAttribute("disabled")));
        provider.Find("button[data-action=close]").Click();
        var result = await dialog.Result;
        Assert.Equal(ApplyStatus.Succeeded, result!.Data);
    }

    [Fact]
    public async Task Encrypt_makes_the_new_segment_ipsec_and_its_preview_names_each_key_by_its_variable_only()
    {
        await AddLabHostsAsync(2);
        var (provider, _) = await OpenAsync("h1", "h2");

        provider.Find("input[data-field=encrypt], [data-field=encrypt] input").Change(true);
        provider.Find("button[data-action=preview]").Click();

        provider.WaitForAssertion(() => Assert.NotEmpty(provider.FindAll("[data-host=h1] [data-command]")));
        var key = Assert.Single(provider.FindAll("[data-host=h1] [data-command]").Select(c => c.TextContent), c => c.Contains("secrets.conf", StringComparison.Ordinal));
        Assert.Matches(@"""\$SB_KEY_lan1_[0-9a-f]{8}""", key);
        provider.Find("button[data-action=apply]").Click();
        provider.WaitForAssertion(() => Assert.Equal(Encryption.Ipsec, Assert.Single(Runner.Applied).Spec.Encryption));
    }
}
