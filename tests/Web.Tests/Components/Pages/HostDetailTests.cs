using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Superbridge.Core.Model;
using Superbridge.Ssh;
using Superbridge.Web.Components.Pages;
using Superbridge.Web.Segments;
using Superbridge.Web.Tests.Components.Support;
using Superbridge.Web.Tests.Drift;

namespace Superbridge.Web.Tests.Components.Pages;

public sealed class HostDetailTests : DashboardTestContext
{
    private IRenderedComponent<MudBlazor.MudDialogProvider>? RenderedProviders { get; set; }

    private async Task<IRenderedComponent<HostDetail>> RenderCaptureAsync(Superbridge.Ssh.Inventory.HostInventoryResult.Online? online = null, string address = "198.51.100.77")
    {
        await AddHostAsync("ha", address);
        await AddHostAsync("hb", "198.51.100.78");
        Inventory.Answer(online ?? InventoryFixtures.Capture("ha"));
        RenderedProviders = RenderProviders();
        var page = Render<HostDetail>(p => p.Add(x => x.Id, "ha"));
        page.WaitForAssertion(() => page.Find("[data-fact=kernel]"));
        return page;
    }

    [Fact]
    public async Task The_header_shows_versions_underlay_and_features_of_the_captured_host()
    {
        var page = await RenderCaptureAsync();

        Assert.Equal("sbcap-a", page.Find("[data-fact=hostname]").TextContent);
        Assert.Equal("6.18.44-fc-v595", page.Find("[data-fact=kernel]").TextContent);
        Assert.Equal("6.1.0", page.Find("[data-fact=iproute]").TextContent);
        Assert.Equal("sbcap-u0 · MTU 1500", page.Find("[data-fact=underlay]").TextContent);
        Assert.Equal("online", page.Find("[data-status]").GetAttribute("data-status"));
        Assert.Equal(["VXLAN", "LXC"], page.FindAll("[data-feature][data-present=true]").Select(c => c.GetAttribute("data-feature")));
    }

    [Fact]
    public async Task A_host_whose_ssh_address_is_its_own_binds_it_from_the_route_to_its_peer()
    {
        var page = await RenderCaptureAsync(InventoryFixtures.LabH1("ha", "sblab-h1.out"), address: "198.51.100.1");

        Assert.Equal("on the host", page.Find("[data-fact=ssh-on-host]").TextContent);
        Assert.Equal("198.51.100.1", page.Find("[data-fact=tunnel-address]").TextContent);
        Assert.Equal("from the route to 198.51.100.78 via eth0", page.Find("[data-fact=tunnel-address-reason]").TextContent);
        Assert.Equal("198.51.100.1", page.Find("[data-fact=peer-address]").TextContent);
        Assert.Equal("the SSH address", page.Find("[data-fact=peer-address-reason]").TextContent);
        Assert.Empty(page.FindAll("[data-fact=behind-nat]"));
    }

    [Fact]
    public async Task A_host_reached_at_a_public_address_it_does_not_hold_is_shown_behind_nat_with_its_private_tunnel_address()
    {
        var page = await RenderCaptureAsync(InventoryFixtures.LabH1("ha", "sblab-h1.out"), address: "203.0.113.80");

        Assert.Equal("not on the host (NAT or port forward)", page.Find("[data-fact=ssh-on-host]").TextContent);
        Assert.Equal("198.51.100.1", page.Find("[data-fact=tunnel-address]").TextContent);
        Assert.Equal("from the route to 198.51.100.78 via eth0", page.Find("[data-fact=tunnel-address-reason]").TextContent);
        Assert.Equal("203.0.113.80", page.Find("[data-fact=peer-address]").TextContent);
        Assert.Equal("behind NAT", page.Find("[data-fact=behind-nat]").TextContent);
    }

    [Fact]
    public async Task The_address_dialog_stores_both_addresses_and_the_page_then_reports_them_as_configured()
    {
        var page = await RenderCaptureAsync(InventoryFixtures.LabH1("ha", "sblab-h1.out"), address: "203.0.113.80");
        var provider = RenderedProviders!;

        page.Find("button[data-action=edit-addresses]").Click();
        provider.WaitForAssertion(() => provider.Find("input[data-field=tunnelAddress]"));
        provider.Find("input[data-field=peerAddress]").Change("127.0.0.1");
        provider.Find("button[data-action=save]").Click();
        provider.WaitForAssertion(() => Assert.Contains("peerAddress cannot be a loopback address",
            provider.Find("[data-field=peerAddress]").Closest(".mud-input-control")!.TextContent));

        provider.Find("input[data-field=tunnelAddress]").Change("198.51.100.1");
        provider.Find("input[data-field=peerAddress]").Change("203.0.113.81");
        provider.Find("button[data-action=save]").Click();

        page.WaitForAssertion(() => Assert.Equal("configured", page.Find("[data-fact=tunnel-address-reason]").TextContent));
        Assert.Equal("203.0.113.81", page.Find("[data-fact=peer-address]").TextContent);
        Assert.Equal("configured", page.Find("[data-fact=peer-address-reason]").TextContent);
        var stored = await Hosts.FindAsync("ha");
        Assert.Equal(("198.51.100.1", "203.0.113.81"), (stored!.TunnelAddress, stored.PeerAddress));
    }

    [Fact]
    public async Task A_host_in_a_network_namespace_of_its_own_is_shown_as_not_persistent_across_reboot_and_why()
    {
        var page = await RenderCaptureAsync();

        Assert.Equal("not persistent across reboot", page.Find("[data-fact=persistence]").TextContent);
        var alert = page.Find("[data-alert=not-persistent]").TextContent;
        Assert.Contains("Not persistent across reboot.", alert);
        Assert.Contains("Superbridge reaches this host in a network namespace other than PID 1's, so no boot unit of the machine recreates it.", alert);
    }

    [Fact]
    public async Task A_host_with_strongswan_running_on_a_kernel_without_esp_shows_the_version_the_daemon_and_why_it_cannot_encrypt()
    {
        var page = await RenderCaptureAsync(InventoryFixtures.LabH1("ha", "sblab-h1.out"));

        Assert.Equal("strongSwan 5.9.8, daemon running", page.Find("[data-fact=ipsec]").TextContent);
        Assert.Equal("missing", page.Find("[data-fact=ipsec]").GetAttribute("data-ipsec"));
        Assert.Equal("cannot encrypt: the kernel has no ESP: module esp4 (CONFIG_INET_ESP) is missing", page.Find("[data-fact=ipsec-missing]").TextContent);
    }

    [Fact]
    public async Task An_inventory_without_the_ipsec_section_shows_ipsec_as_not_known_rather_than_missing()
    {
        var page = await RenderCaptureAsync();

        Assert.Equal("unknown", page.Find("[data-fact=ipsec]").GetAttribute("data-ipsec"));
        Assert.Empty(page.FindAll("[data-fact=ipsec-missing]"));
    }

    [Fact]
    public async Task Containers_list_state_addresses_autostart_and_bridge()
    {
        var page = await RenderCaptureAsync();

        var rows = page.FindAll(".sb-containers tbody tr");
        Assert.Equal(["sbcap-c1", "sbcap-c2", "sbcap-c3"], rows.Select(r => r.QuerySelector("[data-container]")!.TextContent));
        Assert.Equal(["RUNNING", "STOPPED", "RUNNING"], rows.Select(r => r.QuerySelector("[data-state]")!.GetAttribute("data-state")));
        Assert.Equal(["10.77.0.200", "10.77.0.65"], rows[0].QuerySelectorAll("[data-ipv4]").Select(a => a.TextContent));
        Assert.Equal(["true", "false", "false"], rows.Select(r => r.QuerySelector("[data-autostart]")!.GetAttribute("data-autostart")));
        Assert.Equal("sbcap-br0", rows[0].QuerySelector("[data-bridge]")!.TextContent);
        Assert.Equal("sbcap-br1", rows[2].QuerySelector("[data-bridge]")!.TextContent);
    }

    [Fact]
    public async Task Bridge_ports_say_what_they_connect_to_and_tunnels_link_to_the_peer_host()
    {
        var page = await RenderCaptureAsync();

        var br0 = page.Find("[data-bridge-card=sbcap-br0]");
        var kinds = br0.QuerySelectorAll("tr[data-member]").ToDictionary(r => r.GetAttribute("data-member")!, r => r.QuerySelector("[data-kind]")!.GetAttribute("data-kind"));
        Assert.Equal("container", kinds["sbcap-c1v"]);
        Assert.Equal("tunnel", kinds["sbcap-vx"]);
        var vx = br0.QuerySelector("tr[data-member=sbcap-vx]")!;
        Assert.Equal("hosts/hb", vx.QuerySelector("a[data-peer=hb]")!.GetAttribute("href"));
        Assert.Contains("sbcap-c1", br0.QuerySelector("tr[data-member=sbcap-c1v]")!.TextContent);
    }

    [Fact]
    public async Task Tunnels_show_remotes_and_identifiers()
    {
        var page = await RenderCaptureAsync();

        Assert.Equal("VNI 42 · port 4789", page.Find("[data-ids=sbcap-vx]").TextContent);
        Assert.Equal("VNI 4242 · port 8472", page.Find("[data-ids=sbcap-vx2]").TextContent);
        var vxRow = page.Find("[data-tunnel=sbcap-vx]").Closest("tr")!;
        Assert.Equal(["198.51.100.78", "198.51.100.79"], vxRow.QuerySelectorAll("[data-remote]").Select(r => r.TextContent));
        Assert.NotNull(vxRow.QuerySelector("a[data-peer=hb]"));
    }

    [Fact]
    public async Task Dnsmasq_forwarding_and_NAT_rules_are_listed()
    {
        var page = await RenderCaptureAsync();

        Assert.Equal(2, page.FindAll("tr[data-dnsmasq]").Count);
        Assert.Contains("on (net.ipv4.ip_forward = 1)", page.Find("[data-forwarding]").TextContent);
        var nat = page.Find("[data-nat=rules]").TextContent;
        Assert.Contains("-A POSTROUTING -s 10.77.0.0/24 ! -o sbcap-br0 -j MASQUERADE", nat);
        Assert.Contains("--comment \"superbridge seg-2 nat\"", nat);
    }

    [Fact]
    public async Task An_html_hostile_container_name_is_shown_as_text()
    {
        const string hostile = "<img src=x onerror=alert(1)>&amp;";
        var page = await RenderCaptureAsync(InventoryFixtures.WithContainerName(InventoryFixtures.Capture("ha"), hostile));

        Assert.Equal(hostile, page.Find("[data-container]").TextContent);
        Assert.Empty(page.FindAll("img[src=x]"));
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt;&amp;amp;", page.Markup);
    }

    [Fact]
    public async Task The_captured_lab_host_shows_its_container_on_the_bridge_and_the_vxlan_peer()
    {
        await AddHostAsync("h1", "198.51.100.1");
        await AddHostAsync("h2", "198.51.100.2");
        var h1 = InventoryFixtures.LabH1();
        Inventory.Answer(h1);
        RenderProviders();

        var page = Render<HostDetail>(p => p.Add(x => x.Id, "h1"));

        page.WaitForAssertion(() => Assert.Equal("sblab-h1", page.Find("[data-fact=hostname]").TextContent));
        Assert.Equal(h1.Inventory.Containers.Select(c => c.Name), page.FindAll("[data-container]").Select(c => c.TextContent));
        Assert.Equal(h1.Inventory.Bridges.Select(b => b.Name), page.FindAll("[data-bridge-card]").Select(c => c.GetAttribute("data-bridge-card")));
        Assert.Equal(h1.Inventory.Tunnels.Select(t => t.Device), page.FindAll("[data-tunnel]").Select(c => c.TextContent));
    }

    [Fact]
    public async Task An_offline_host_says_why_and_keeps_its_last_inventory()
    {
        var page = await RenderCaptureAsync();
        Inventory.Answer(FakeHostInventorySource.Offline("ha", SshFailureReason.HostKeyChanged, "The host presented SHA256:new, not the pinned SHA256:old."));

        page.Find("button[data-action=refresh]").Click();

        page.WaitForAssertion(() =>
        {
            var alert = page.Find("[data-alert=offline]").TextContent;
            Assert.Contains("host key changed", alert);
            Assert.Contains("The host presented SHA256:new, not the pinned SHA256:old.", alert);
        });
        Assert.Equal(3, page.FindAll("[data-container]").Count);
    }

    [Fact]
    public void An_unknown_host_is_a_warning_not_an_error()
    {
        RenderProviders();

        var page = Render<HostDetail>(p => p.Add(x => x.Id, "nope"));

        page.WaitForAssertion(() => Assert.Contains("There is no host named nope", page.Find("[data-alert=not-found]").TextContent));
        Assert.Empty(Inventory.Calls);
    }

    /// <summary>Lab hosts h1..h3 stored, h1 answering with its captured inventory, and the captured segment marked applied.</summary>
    private async Task<IRenderedComponent<HostDetail>> RenderDriftAsync(Segment applied, bool h1Online = true)
    {
        for (var i = 1; i <= 3; i++) await AddHostAsync($"h{i}", $"198.51.100.{i}");
        if (h1Online) Inventory.Answer(InventoryFixtures.LabH1("h1"));
        var segments = Services.GetRequiredService<SegmentStore>();
        await segments.SaveDesiredAsync(applied);
        await segments.MarkAppliedAsync(applied);
        RenderProviders();
        return Render<HostDetail>(p => p.Add(x => x.Id, "h1"));
    }

    [Fact]
    public async Task Drift_says_in_sync_when_the_captured_inventory_has_everything_applied()
    {
        var page = await RenderDriftAsync(DriftFixtures.CapturedSegment(DriftFixtures.LabHosts()));

        page.WaitForAssertion(() => Assert.Equal("observed", page.Find("[data-drift-report]").GetAttribute("data-observation")));
        var segment = page.Find("[data-drift=sbinv]");
        Assert.Equal("in-sync", segment.GetAttribute("data-drift-state"));
        Assert.Contains("In sync", segment.TextContent);
        Assert.Equal("segments/sbinv", segment.QuerySelector("a[data-segment-link]")!.GetAttribute("href"));
        Assert.Empty(page.FindAll("[data-drift-item]"));
        Assert.Empty(page.FindAll("[data-action=fix-drift]"));
    }

    [Fact]
    public async Task Drift_names_the_missing_tunnel_and_links_to_the_segment_where_apply_fixes_it()
    {
        var page = await RenderDriftAsync(DriftFixtures.CapturedSegment(DriftFixtures.LabHosts(), deviceOnH1: "sbx-sbinv-0"));

        page.WaitForAssertion(() => Assert.Equal("drifted", page.Find("[data-drift=sbinv]").GetAttribute("data-drift-state")));
        var items = page.FindAll("[data-drift=sbinv] tr[data-drift-item]");
        Assert.All(items, i => Assert.Equal(("sbx-sbinv-0", "missing"), (i.GetAttribute("data-drift-item"), i.GetAttribute("data-drift-kind"))));
        Assert.Equal("missing: Create VXLAN sbx-sbinv-0 (VNI 4242)", items[0].QuerySelector("[data-drift-detail]")!.TextContent);
        Assert.Contains("6 differences", page.Find("[data-drift=sbinv]").TextContent);
        Assert.Equal("segments/sbinv", page.Find("[data-drift=sbinv] [data-action=fix-drift]").GetAttribute("href"));
    }

    [Fact]
    public async Task Drift_of_an_offline_host_is_unknown_not_in_sync()
    {
        var page = await RenderDriftAsync(DriftFixtures.CapturedSegment(DriftFixtures.LabHosts()), h1Online: false);

        page.WaitForAssertion(() => Assert.Equal("offline", page.Find("[data-drift-report]").GetAttribute("data-observation")));
        Assert.Equal("The host is offline (connection refused), so its drift is unknown.", page.Find("[data-drift-unknown]").TextContent);
        Assert.Equal("not-checked", page.Find("[data-drift=sbinv]").GetAttribute("data-drift-state"));
        Assert.DoesNotContain("In sync", page.Find("[data-drift-report]").TextContent);
    }

    [Fact]
    public async Task A_host_in_no_applied_segment_says_so()
    {
        var page = await RenderCaptureAsync();

        page.WaitForAssertion(() => Assert.Equal("No segment applied by Superbridge includes this host.", page.Find("[data-drift-none]").TextContent));
    }
}
