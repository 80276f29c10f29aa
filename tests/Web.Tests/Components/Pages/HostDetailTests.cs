using Bunit;
using Superbridge.Ssh;
using Superbridge.Web.Components.Pages;
using Superbridge.Web.Tests.Components.Support;

namespace Superbridge.Web.Tests.Components.Pages;

public sealed class HostDetailTests : DashboardTestContext
{
    private async Task<IRenderedComponent<HostDetail>> RenderCaptureAsync(Superbridge.Ssh.Inventory.HostInventoryResult.Online? online = null)
    {
        await AddHostAsync("ha", "198.51.100.77");
        await AddHostAsync("hb", "198.51.100.78");
        Inventory.Answer(online ?? InventoryFixtures.Capture("ha"));
        RenderProviders();
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
}
