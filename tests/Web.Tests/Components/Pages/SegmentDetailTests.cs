using Superbridge.Core.Commands;
using Bunit;
using MudBlazor;
using Superbridge.Core.Allocation;
using Superbridge.Core.Model;
using Superbridge.Core.Observed;
using Superbridge.Operations;
using Superbridge.Ssh.Apply;
using Superbridge.Ssh.Inventory;
using Superbridge.Web.Components.Pages;
using Superbridge.Web.Segments;
using Superbridge.Web.Tests.Components.Support;
using Superbridge.Web.Tests.Drift;
using Superbridge.Web.Tests.Ipsec;
using Superbridge.Web.Tests.Topology;
using Superbridge.Web.Tests.Topology.Support;
using static Superbridge.Web.Tests.Topology.TopologyFixtures;

namespace Superbridge.Web.Tests.Components.Pages;

public sealed class SegmentDetailTests : TopologyTestContext
{
    [Fact]
    public async Task The_page_shows_members_tunnels_with_their_paired_values_router_attachments_and_mtu()
    {
        await AddLabHostsAsync(3);
        var segment = Allocate(Gretap("backbone", ("h1", "h2"), ("h2", "h3")), Known(3));
        await SaveAsync(Applied(segment));
        RenderProviders();

        var page = Render<SegmentDetail>(p => p.Add(x => x.Id, "backbone"));

        page.WaitForAssertion(() => page.Find("[data-title]"));
        Assert.Equal(["h1", "h2", "h3"], page.FindAll("[data-member]").Select(m => m.GetAttribute("data-member")));
        Assert.NotNull(page.Find("[data-member=h1] [data-router-chip]"));
        Assert.Equal(2, page.FindAll("[data-action=make-router]").Count);
        Assert.Equal([$"key {segment.Allocation.Links[0].GreKey}", $"key {segment.Allocation.Links[1].GreKey}"],
            page.FindAll("[data-pairing]").Select(p => p.TextContent));
        Assert.Equal("10.0.2.1/24", page.Find("[data-gateway]").TextContent);
        Assert.Equal("1458", page.Find("[data-mtu]").TextContent);
        Assert.NotNull(page.Find("[data-no-attachments]"));
    }

    [Fact]
    public async Task An_operation_interrupted_by_a_dashboard_restart_shows_what_to_do_and_apply_stays_possible()
    {
        await AddLabHostsAsync(2);
        var segment = Allocate(Vxlan("lab", "h1", "h2"), Known(2));
        await SaveAsync(new SegmentRecord(segment, null, Attempted: segment));
        var id = await RecordOperationAsync("lab", OperationStatus.Running);
        await Journal.InterruptUnfinishedAsync(SegmentService.InterruptedMessage);
        RenderProviders();

        var page = Render<SegmentDetail>(p => p.Add(x => x.Id, "lab"));

        page.WaitForAssertion(() => Assert.Equal("interrupted", page.Find($"[data-last-operation='{id}']").GetAttribute("data-last-status")));
        Assert.Contains("Apply again to converge", page.Find("[data-last-advice]").TextContent);
        Assert.False(page.Find("[data-action=apply-pending]").HasAttribute("disabled"));
        Assert.Empty(page.FindAll("[data-following]"));
    }

    [Fact]
    public async Task Make_dhcp_router_opens_the_router_dialog_for_that_host()
    {
        await AddLabHostsAsync(2);
        await SaveAsync(Applied(Allocate(Vxlan("lab", "h1", "h2"), Known(2))));
        var dialogs = RenderProviders();
        var page = Render<SegmentDetail>(p => p.Add(x => x.Id, "lab"));
        page.WaitForAssertion(() => page.Find("[data-member=h2] [data-action=make-router]"));

        page.Find("[data-member=h2] button[data-action=make-router]").Click();

        dialogs.WaitForAssertion(() => Assert.Contains("Moves the router from h1 to h2", dialogs.Find("[data-moving]").TextContent));
        Assert.Equal("10.0.2.1/24", dialogs.Find("input[data-field=gateway]").GetAttribute("value"));
    }

    [Fact]
    public async Task Attached_containers_show_their_addresses_from_the_latest_inventory()
    {
        await AddLabHostsAsync(2);
        var h1 = InventoryFixtures.LabH1("h1");
        Inventory.Answer(h1);
        await Board.RefreshAsync("h1");
        var spec = Vxlan("lab", "h1", "h2") with { Bridge = "sbtest0", Attachments = [new Core.Model.AttachmentSpec("h1", "h1-c1")] };
        var segment = Superbridge.Core.Allocation.SegmentAllocator.Allocate(spec, Known(2).Infos(), [],
            new Dictionary<Core.Model.HostId, Core.Observed.ObservedHost> { ["h1"] = h1.Host }).Value;
        await SaveAsync(Applied(segment));
        RenderProviders();

        var page = Render<SegmentDetail>(p => p.Add(x => x.Id, "lab"));

        page.WaitForAssertion(() => page.Find("[data-attachment='h1/h1-c1']"));
        var expected = h1.Inventory.Containers.Single(c => c.Name == "h1-c1").Ipv4;
        Assert.Equal(expected.IsEmpty ? "—" : string.Join(", ", expected), page.Find("[data-attachment='h1/h1-c1'] [data-ipv4]").TextContent);
    }

    [Fact]
    public async Task Members_without_persistence_are_named_with_the_reason_and_an_unread_host_is_not_judged()
    {
        await AddLabHostsAsync(2);
        Inventory.Answer(InventoryFixtures.Capture("h1", "h2"));
        await Board.RefreshAsync("h1");
        await SaveAsync(Applied(Allocate(Vxlan("lab", "h1", "h2"), Known(2))));
        RenderProviders();

        var page = Render<SegmentDetail>(p => p.Add(x => x.Id, "lab"));

        page.WaitForAssertion(() => page.Find("[data-not-persistent]"));
        Assert.NotNull(page.Find("[data-member=h1] [data-not-persistent-chip]"));
        Assert.Empty(page.FindAll("[data-member=h2] [data-not-persistent-chip]"));
        var alert = page.Find("[data-not-persistent]").TextContent;
        Assert.Contains("Not persistent across reboot on h1", alert);
        Assert.Contains("h1: Superbridge reaches this host in a network namespace other than PID 1's", alert);
    }

    [Fact]
    public void An_unknown_segment_says_so()
    {
        RenderProviders();
        var page = Render<SegmentDetail>(p => p.Add(x => x.Id, "<script>x</script>"));

        page.WaitForAssertion(() => Assert.Contains("There is no segment named <script>x</script>.", page.Find("[data-missing]").TextContent));
        Assert.Empty(page.FindAll("[data-missing] script"));
    }

    /// <summary>VXLAN segment "lab" on h1 and h2 (bridge sbtest0) with h1-c1 attached; h1 and h2 answer with the captured lab inventory.</summary>
    private async Task<(Segment WithAttachment, Segment Without)> LabWithContainerAsync()
    {
        await AddLabHostsAsync(2);
        var h1 = InventoryFixtures.LabH1("h1");
        Inventory.Answer(h1);
        Inventory.Answer(InventoryFixtures.LabH1("h2"));
        await Board.RefreshAsync("h1");
        var spec = Vxlan("lab", "h1", "h2") with { Bridge = "sbtest0" };
        var observed = new Dictionary<HostId, ObservedHost> { ["h1"] = h1.Host };
        var without = SegmentAllocator.Allocate(spec, Known(2).Infos(), [], observed).Value;
        var with = SegmentAllocator.Allocate(spec with { Attachments = [new AttachmentSpec("h1", "h1-c1")] }, Known(2).Infos(), [without], observed).Value;
        return (with, without);
    }

    /// <summary>"lab" applied with h1-c1 attached, its page open, and Detach clicked on h1-c1.</summary>
    private async Task<(IRenderedComponent<SegmentDetail> Page, IRenderedComponent<MudDialogProvider> Dialogs)> ClickDetachAsync()
    {
        var (attached, _) = await LabWithContainerAsync();
        await SaveAsync(Applied(attached));
        var dialogs = RenderProviders();
        var page = Render<SegmentDetail>(p => p.Add(x => x.Id, "lab"));
        page.WaitForAssertion(() => page.Find("[data-attachment='h1/h1-c1'] button[data-action=detach]"));
        Assert.Equal("none", page.Find("[data-attachment='h1/h1-c1']").GetAttribute("data-pending"));
        page.Find("[data-attachment='h1/h1-c1'] button[data-action=detach]").Click();
        dialogs.WaitForAssertion(() => Assert.Equal("Container h1-c1 on h1 leaves segment lab.", dialogs.Find(".sb-confirm-message").TextContent));
        return (page, dialogs);
    }

    [Fact]
    public async Task Detach_asks_first_then_only_the_wanted_state_loses_the_container_until_apply()
    {
        var (page, dialogs) = await ClickDetachAsync();

        dialogs.Find("button[data-action=confirm]").Click();

        page.WaitForAssertion(() => Assert.Equal("detach", page.Find("[data-attachment='h1/h1-c1']").GetAttribute("data-pending")));
        Assert.Empty(page.FindAll("[data-attachment='h1/h1-c1'] [data-action=detach]"));
        Assert.NotNull(page.Find("[data-state=pending]"));
        Assert.NotNull(page.Find("[data-pending-changes]"));
        Assert.Equal("Apply pending changes", page.Find("button[data-action=apply-pending]").TextContent.Trim());
        Assert.False(page.Find("button[data-action=apply-pending]").HasAttribute("disabled"));
        var stored = await Segments.FindAsync("lab");
        Assert.Empty(stored!.Desired.Spec.Attachments);
        Assert.Empty(stored.Desired.Allocation.Attachments);
        Assert.Equal(["h1/h1-c1"], stored.Applied!.Spec.Attachments.Select(a => $"{a.Host}/{a.Container}"));
        Assert.Empty(Runner.Applied);
        Assert.Empty(Runner.AppliedStored);
    }

    [Fact]
    public async Task Cancelling_the_detach_changes_nothing()
    {
        var (page, dialogs) = await ClickDetachAsync();

        dialogs.Find("button[data-action=cancel]").Click();

        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll(".sb-confirm-message")));
        var stored = await Segments.FindAsync("lab");
        Assert.False(stored!.HasUnappliedChanges);
        Assert.Equal("none", page.Find("[data-attachment='h1/h1-c1']").GetAttribute("data-pending"));
    }

    [Fact]
    public async Task Apply_is_disabled_when_the_hosts_have_what_is_wanted()
    {
        await AddLabHostsAsync(3);
        Inventory.Answer(InventoryFixtures.LabH1("h1"));
        await Board.RefreshAsync("h1");
        await SaveAsync(Applied(DriftFixtures.CapturedSegment(DriftFixtures.LabHosts())));
        RenderProviders();

        var page = Render<SegmentDetail>(p => p.Add(x => x.Id, "sbinv"));

        page.WaitForAssertion(() => page.Find("[data-state=applied]"));
        var apply = page.Find("button[data-action=apply-pending]");
        Assert.True(apply.HasAttribute("disabled"));
        Assert.Equal("Apply pending changes", apply.TextContent.Trim());
        Assert.Empty(page.FindAll("[data-pending-changes]"));
        Assert.Empty(page.FindAll("[data-drifted]"));
    }

    [Fact]
    public async Task A_pending_attach_enables_apply_which_previews_the_exact_commands_then_runs_them_live()
    {
        var (attached, without) = await LabWithContainerAsync();
        await SaveAsync(new SegmentRecord(attached, without));
        var dialogs = RenderProviders();
        var page = Render<SegmentDetail>(p => p.Add(x => x.Id, "lab"));
        page.WaitForAssertion(() => Assert.Equal("attach", page.Find("[data-attachment='h1/h1-c1']").GetAttribute("data-pending")));
        Assert.False(page.Find("button[data-action=apply-pending]").HasAttribute("disabled"));

        page.Find("button[data-action=apply-pending]").Click();

        dialogs.WaitForAssertion(() => Assert.NotEmpty(dialogs.FindAll("[data-plan=lab] [data-host=h1] [data-command]")));
        Assert.Equal(
        [
            "lxc-stop -n h1-c1",
            "sed -i -e '$a lxc.net.0.link = sbtest0' /var/lib/lxc/h1-c1/config",
            "lxc-start -n h1-c1",
        ], dialogs.FindAll("[data-plan=lab] [data-host=h1] [data-command]").Select(c => c.TextContent));
        Assert.Empty(dialogs.FindAll("[data-plan=lab] [data-host=h2] [data-command]"));

        dialogs.Find("button[data-action=apply]").Click();
        dialogs.WaitForAssertion(() => Assert.Equal(("lab", "dashboard"), Assert.Single(Runner.AppliedStored)));
        await Runner.Events.Writer.WriteAsync(new OperationCompleted(DateTimeOffset.UnixEpoch, ApplyLogModelTests.Result(ApplyStatus.Succeeded)));
        Runner.Events.Writer.Complete();
        dialogs.WaitForAssertion(() => Assert.Equal("true", dialogs.Find("[data-apply-log]").GetAttribute("data-finished")));
        Assert.Empty(Runner.Applied);

        dialogs.Find("button[data-action=close]").Click();
        Snackbars!.WaitForAssertion(() => Assert.Contains("Apply lab: done", Snackbars.Markup));
    }

    [Fact]
    public async Task A_segment_drifted_on_a_host_can_be_applied_again_and_the_preview_lists_what_went_missing()
    {
        await AddLabHostsAsync(3);
        Inventory.Answer(InventoryFixtures.LabH1("h1"));
        await Board.RefreshAsync("h1");
        await SaveAsync(Applied(DriftFixtures.CapturedSegment(DriftFixtures.LabHosts(), deviceOnH1: "sbx-sbinv-0")));
        var dialogs = RenderProviders();
        var page = Render<SegmentDetail>(p => p.Add(x => x.Id, "sbinv"));
        page.WaitForAssertion(() => page.Find("[data-drifted]"));
        var apply = page.Find("button[data-action=apply-pending]");
        Assert.Equal("Apply again to repair drift", apply.TextContent.Trim());

        apply.Click();

        dialogs.WaitForAssertion(() => Assert.NotEmpty(dialogs.FindAll("[data-plan=sbinv] [data-host=h1] [data-command]")));
        Assert.Equal(
        [
            "ip link add sbx-sbinv-0 type vxlan id 4242 local 198.51.100.1 dstport 4789 dev eth0",
            "ip link set dev sbx-sbinv-0 mtu 1450",
            "ip link set dev sbx-sbinv-0 master sbinv-br0",
            // Both flood entries in one step, written by one bridge -batch.
            LinuxCommands.FloodAppend("sbx-sbinv-0", ["198.51.100.2", "198.51.100.3"]).ToShellLine(),
            "ip link set dev sbx-sbinv-0 up",
        ], dialogs.FindAll("[data-plan=sbinv] [data-host=h1] [data-command]").Select(c => c.TextContent));
    }

    [Fact]
    public async Task An_encrypted_segment_lists_each_pairs_sa_state_and_an_unencrypted_one_has_no_ipsec_card()
    {
        await AddHostAsync(SaFixtures.Vm1, "198.51.100.211");
        await AddHostAsync(SaFixtures.Vm2, "198.51.100.212");
        var captured = InventoryFixtures.Capture(SaFixtures.Vm1);
        Inventory.Answer(captured with { Host = captured.Host with { IpsecSas = SaFixtures.Read("vm1-established.txt") } });
        await Board.RefreshAsync(SaFixtures.Vm1);
        await SaveAsync(Applied(Allocate(SaFixtures.Spec, SaFixtures.Hosts())));
        await SaveAsync(Applied(Allocate(SaFixtures.Spec with { Name = "plain", Encryption = Encryption.None }, SaFixtures.Hosts())));
        RenderProviders();

        var page = Render<SegmentDetail>(p => p.Add(x => x.Id, "blue"));

        page.WaitForAssertion(() => page.Find("[data-ipsec]"));
        Assert.Equal([("established", SaFixtures.Vm1), ("unknown", SaFixtures.Vm2)],
            page.FindAll($"[data-ipsec-link='{SaFixtures.Connection}']").Select(r => (r.GetAttribute("data-state"), r.GetAttribute("data-ipsec-end"))));
        var plain = Render<SegmentDetail>(p => p.Add(x => x.Id, "plain"));
        plain.WaitForAssertion(() => plain.Find("[data-title]"));
        Assert.Empty(plain.FindAll("[data-ipsec]"));
    }
}
