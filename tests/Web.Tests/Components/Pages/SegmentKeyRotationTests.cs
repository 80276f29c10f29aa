using Bunit;
using Superbridge.Core.Model;
using Superbridge.Core.Observed;
using Superbridge.Ssh.Inventory;
using Superbridge.Core.Planning;
using Superbridge.Operations;
using Superbridge.Web.Components.Pages;
using Superbridge.Web.Tests.Components.Support;
using Superbridge.Web.Tests.Topology;
using Superbridge.Web.Tests.Topology.Support;
using static Superbridge.Web.Tests.Topology.TopologyFixtures;

namespace Superbridge.Web.Tests.Components.Pages;

/// <summary>The segment page's IPsec keys: one rotate button per pair, a preview of exactly what runs, then the live log.</summary>
public sealed class SegmentKeyRotationTests : TopologyTestContext
{
    [Fact]
    public async Task Each_pair_of_an_applied_encrypted_segment_has_a_rotate_button_whose_dialog_previews_then_runs_that_rotation()
    {
        await AddLabHostsAsync(3);
        var segment = Allocate(Gretap("backbone", ("h1", "h2"), ("h2", "h3")) with { Encryption = Encryption.Ipsec }, Known(3));
        await SaveAsync(Applied(segment));
        var pairs = IpsecPair.Of(segment.Spec);
        var dialogs = RenderProviders();
        var page = Render<SegmentDetail>(p => p.Add(x => x.Id, "backbone"));

        page.WaitForAssertion(() => Assert.Equal(["h1-h2", "h2-h3"], page.FindAll("[data-pair]").Select(r => r.GetAttribute("data-pair"))));
        page.Find("[data-pair=h2-h3] button[data-action=rotate-key]").Click();

        dialogs.WaitForAssertion(() => Assert.NotEmpty(dialogs.FindAll("[data-plan=backbone] [data-host=h3] [data-command]")));
        Assert.Empty(dialogs.FindAll("[data-plan=backbone] [data-host=h1] [data-command]"));
        Assert.Single(dialogs.FindAll("[data-plan=backbone] [data-host=h2] [data-command]"));
        Assert.Equal(2, dialogs.FindAll("[data-plan=backbone] [data-host=h3] [data-command]").Count);
        Assert.Contains("--reauth", dialogs.FindAll("[data-plan=backbone] [data-host=h3] [data-command]")[1].TextContent);

        dialogs.Find("button[data-action=rotate]").Click();
        dialogs.WaitForAssertion(() => Assert.Equal(("backbone", pairs[1], "dashboard"), Assert.Single(Runner.Rotated)));
        Assert.NotNull(Assert.Single(Runner.Fingerprints));
        await Runner.Events.Writer.WriteAsync(new OperationCompleted(DateTimeOffset.UnixEpoch, ApplyLogModelTests.Result(ApplyStatus.Succeeded)));
        Runner.Events.Writer.Complete();
        dialogs.WaitForAssertion(() => Assert.Equal("true", dialogs.Find("[data-apply-log]").GetAttribute("data-finished")));
    }

    [Fact]
    public async Task A_segment_not_encrypted_on_its_hosts_offers_no_rotation()
    {
        await AddLabHostsAsync(2);
        var plain = Allocate(Gretap("lab", ("h1", "h2")), Known(2));
        await SaveAsync(new SegmentRecord(plain with { Spec = plain.Spec with { Encryption = Encryption.Ipsec } }, plain));
        RenderProviders();

        var page = Render<SegmentDetail>(p => p.Add(x => x.Id, "lab"));

        page.WaitForAssertion(() => page.Find("[data-title]"));
        Assert.Empty(page.FindAll("[data-action=rotate-key]"));
    }

    [Fact]
    public async Task The_encrypt_switch_changes_only_the_wanted_state_and_leaves_the_hosts_to_the_apply_it_enables()
    {
        await AddLabHostsAsync(2);
        await SaveAsync(Applied(Allocate(Gretap("lab", ("h1", "h2")), Known(2))));
        // Turning encryption on reads both hosts: the lab capture, as a host with GRE and strongSwan would answer it.
        Inventory.Answer(IpsecReady("h1"));
        Inventory.Answer(IpsecReady("h2"));
        RenderProviders();
        var page = Render<SegmentDetail>(p => p.Add(x => x.Id, "lab"));
        page.WaitForAssertion(() => Assert.True(page.Find("button[data-action=apply-pending]").HasAttribute("disabled")));

        page.Find("input[data-field=encrypt], [data-field=encrypt] input").Change(true);

        var snackbars = Snackbars!;
        snackbars.WaitForAssertion(() => Assert.Contains("Encryption on for lab: apply the pending changes to change its hosts", snackbars.Markup));
        page.WaitForAssertion(() => Assert.False(page.Find("button[data-action=apply-pending]").HasAttribute("disabled")));
        var record = (await Segments.FindAsync("lab", CancellationToken.None))!;
        Assert.Equal((Encryption.Ipsec, Encryption.None), (record.Desired.Spec.Encryption, record.Applied!.Spec.Encryption));
        Assert.Empty(page.FindAll("[data-action=rotate-key]"));
        Assert.Empty(Runner.AppliedStored);
    }

    private static HostInventoryResult.Online IpsecReady(string host)
    {
        var captured = InventoryFixtures.LabH1(host);
        return captured with
        {
            Host = captured.Host with
            {
                Features = new KernelFeatures(true, true, true, true, true, true), Ipsec = new IpsecFacts(Swanctl: true, Xfrm: true, CharonRunning: true) { Kernel = EspKernelSupport.Complete },
            },
        };
    }
}
