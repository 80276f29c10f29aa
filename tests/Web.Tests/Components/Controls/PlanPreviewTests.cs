using Superbridge.Core.Programs;
using Bunit;
using Superbridge.Core.Commands;
using Superbridge.Core.Mtu;
using Superbridge.Core.Planning;
using Superbridge.Web.Components.Controls;
using Superbridge.Web.Tests.Topology.Support;
using static Superbridge.Web.Tests.Topology.TopologyFixtures;

namespace Superbridge.Web.Tests.Components.Controls;

public sealed class PlanPreviewTests : TopologyTestContext
{
    private static string[] Lines(IRenderedComponent<PlanPreview> preview, string host) =>
        [.. preview.FindAll($"[data-host={host}] [data-command]").Select(c => c.TextContent)];

    [Fact]
    public void A_plan_says_which_hosts_will_not_keep_the_segment_across_a_reboot_and_why()
    {
        var hosts = Known(2);
        var plan = SegmentPlanner.Plan(Allocate(Vxlan("lan1", "h1", "h2"), hosts), hosts.Infos()).Value with
        {
            NotPersistent = [new NotPersistentHost("h2", "PID 1 is busybox, not systemd, so nothing recreates a segment at boot")],
        };
        RenderProviders();

        var preview = Render<PlanPreview>(p => p.Add(x => x.Plan, plan));

        Assert.Equal("Not persistent across reboot: h2: PID 1 is busybox, not systemd, so nothing recreates a segment at boot",
            string.Join(' ', preview.Find("[data-not-persistent]").TextContent.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries)));
    }

    [Fact]
    public void A_plan_shows_each_measured_path_when_it_was_measured_and_warns_of_a_path_that_dropped_every_probe()
    {
        var hosts = Known(2);
        var spec = Vxlan("lan1", "h1", "h2");
        var at = new DateTimeOffset(2026, 12, 2, 16, 5, 0, TimeSpan.Zero);
        var paths = UnderlayPaths.Of(spec, hosts.Infos())
            .Select(p => new MeasuredPath(p, p.From == "h1" ? 1400 : null, p.From == "h1" ? null : "every don't-fragment probe was dropped", at)).ToList();
        var plan = SegmentPlanner.Plan(Allocate(spec, hosts), hosts.Infos(), paths: paths).Value;
        RenderProviders();

        var preview = Render<PlanPreview>(p => p.Add(x => x.Plan, plan));

        Assert.Equal("1400", preview.Find("[data-path='h1>h2']").TextContent.Split(' ')[3].TrimEnd(';'));
        Assert.Equal("h2 → h1 dropped every probe (interface 1500 used);", preview.Find("[data-path='h2>h1']").TextContent.Trim());
        Assert.StartsWith("MTU 1350 from the underlay paths measured 2026-12-02 16:05:00 UTC:", preview.Find("[data-paths]").TextContent.Trim());
        Assert.Equal("path h2 → h1 (198.51.100.2 → 198.51.100.1): every don't-fragment probe was dropped; planned at the interface MTU 1500, large frames may be lost",
            preview.Find("[data-path-warnings]").TextContent.Trim());
    }

    [Fact]
    public void A_vxlan_plan_shows_each_hosts_exact_commands_side_by_side()
    {
        var hosts = Known(2);
        var plan = SegmentPlanner.Plan(Allocate(Vxlan("lan1", "h1", "h2"), hosts), hosts.Infos()).Value;
        RenderProviders();

        var preview = Render<PlanPreview>(p => p.Add(x => x.Plan, plan));

        Assert.Equal(["h1", "h2"], preview.FindAll("[data-host]").Select(h => h.GetAttribute("data-host")));
        Assert.Equal(
            [
                "modprobe vxlan",
                "ip link add superbr0 type bridge",
                "ip link set dev superbr0 mtu 1450",
                "ip link set dev superbr0 up",
                "ip link add sbx-lan1-0 type vxlan id 1 local 198.51.100.2 dstport 4789",
                "ip link set dev sbx-lan1-0 mtu 1450",
                "ip link set dev sbx-lan1-0 master superbr0",
                "bridge fdb append 00:00:00:00:00:00 dev sbx-lan1-0 dst 198.51.100.1",
                "ip link set dev sbx-lan1-0 up",
            ],
            Lines(preview, "h2"));
        var h1 = Lines(preview, "h1");
        Assert.Equal(16, h1.Length);
        Assert.Equal("bridge fdb append 00:00:00:00:00:00 dev sbx-lan1-0 dst 198.51.100.2", h1[7]);
        Assert.Equal(
            "dnsmasq --conf-file= --strict-order --bind-interfaces --interface=superbr0 --except-interface=lo --listen-address 10.0.2.1 " +
            "--dhcp-range '10.0.2.2,10.0.2.254,12h' --dhcp-lease-max=253 --dhcp-no-override '--dhcp-option=option:mtu,1450' " +
            "--pid-file=/run/superbridge/dnsmasq-superbr0.pid --dhcp-leasefile=/run/superbridge/dnsmasq-superbr0.leases",
            h1[11]);
        Assert.Equal("iptables -t nat -N SB-superbr0", h1[13]);
        Assert.Equal("iptables -t nat -A SB-superbr0 -s 10.0.2.0/24 '!' -d 10.0.2.0/24 -j MASQUERADE", h1[14]);
        Assert.Equal("iptables -t nat -A POSTROUTING -s 10.0.2.0/24 -j SB-superbr0", h1[15]);
        Assert.Equal("16 steps", preview.Find("[data-host=h1] [data-steps]").TextContent.Trim());
    }

    [Fact]
    public void A_gretap_plan_shows_the_tunnel_with_its_key_on_both_ends()
    {
        var hosts = Known(2);
        var segment = Allocate(Gretap("lan2", ("h1", "h2")) with { Bridge = "sblan2" }, hosts);
        var plan = SegmentPlanner.Plan(segment, hosts.Infos()).Value;
        RenderProviders();

        var preview = Render<PlanPreview>(p => p.Add(x => x.Plan, plan));

        Assert.Equal(
            [
                "modprobe ip_gre",
                "ip link add sblan2 type bridge",
                "ip link set dev sblan2 mtu 1458",
                "ip link set dev sblan2 up",
                "ip link add sbg-lan2-0 type gretap local 198.51.100.2 remote 198.51.100.1 ttl 255 key 1",
                "ip link set dev sbg-lan2-0 mtu 1458",
                "ip link set dev sbg-lan2-0 master sblan2",
                "ip link set dev sbg-lan2-0 up",
            ],
            Lines(preview, "h2"));
        Assert.Equal("ip link add sbg-lan2-0 type gretap local 198.51.100.1 remote 198.51.100.2 ttl 255 key 1", Lines(preview, "h1")[4]);
    }

    [Fact]
    public void Each_host_downloads_its_plan_as_the_shell_script_core_exports()
    {
        var hosts = Known(2);
        var plan = SegmentPlanner.Plan(Allocate(Vxlan("lan1", "h1", "h2"), hosts), hosts.Infos()).Value;
        RenderProviders();

        var preview = Render<PlanPreview>(p => p.Add(x => x.Plan, plan));

        var download = preview.Find("[data-host=h2] [data-action=download]");
        Assert.Equal("superbridge-lan1-h2.sh", download.GetAttribute("download"));
        Assert.Equal("data:text/x-shellscript;charset=utf-8," + Uri.EscapeDataString(HostProgram.Apply(plan.Hosts[1])), download.GetAttribute("href"));
    }

    [Fact]
    public void Copy_puts_the_hosts_script_on_the_clipboard()
    {
        var hosts = Known(2);
        var plan = SegmentPlanner.Plan(Allocate(Vxlan("lan1", "h1", "h2"), hosts), hosts.Infos()).Value;
        RenderProviders();
        var preview = Render<PlanPreview>(p => p.Add(x => x.Plan, plan));

        preview.Find("[data-host=h1] button[data-action=copy]").Click();

        var call = Assert.Single(JSInterop.Invocations, i => i.Identifier == "navigator.clipboard.writeText");
        Assert.Equal(HostProgram.Apply(plan.Hosts[0]), call.Arguments[0]);
    }

    [Fact]
    public void Html_in_a_step_is_shown_as_text()
    {
        var plan = new SegmentPlan
        {
            Segment = "lan1",
            Mtu = 1450,
            Hosts = [new HostPlan("h1", [new PlanStep("x", "<img src=x onerror=alert(1)>", Command.Of("echo", "<script>alert(1)</script>"), null, null)])],
        };
        RenderProviders();

        var preview = Render<PlanPreview>(p => p.Add(x => x.Plan, plan));

        Assert.Empty(preview.FindAll("script"));
        Assert.Empty(preview.FindAll("img[onerror]"));
        Assert.Contains("&lt;script&gt;", preview.Markup);
        Assert.Equal("echo '<script>alert(1)</script>'", preview.Find("[data-command]").TextContent);
    }

    [Fact]
    public void An_empty_plan_says_the_hosts_already_match()
    {
        RenderProviders();
        var preview = Render<PlanPreview>(p => p.Add(x => x.Plan, new SegmentPlan { Segment = "lan1", Mtu = 1450, Hosts = [new HostPlan("h1", [])] }));

        Assert.NotNull(preview.Find("[data-plan-empty]"));
    }
}
