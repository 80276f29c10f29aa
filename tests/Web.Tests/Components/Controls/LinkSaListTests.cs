using Bunit;
using Superbridge.Web.Components.Controls;
using Superbridge.Web.Ipsec;
using Superbridge.Web.Tests.Components.Support;
using Superbridge.Web.Tests.Ipsec;

namespace Superbridge.Web.Tests.Components.Controls;

public sealed class LinkSaListTests : DashboardTestContext
{
    private static readonly DateTimeOffset Read = FixedTimeProvider.Start;
    // vm1-established.txt read at 12:00:00: established 16 s before, first rekey in 3250 s.
    private const string EstablishedSince = "2026-11-26 11:59:44 UTC";
    private const string NextRekey = "2026-11-26 12:54:10 UTC";
    private const string TrafficIn = "624 bytes, 3 packets";
    private const string TrafficOut = "540 bytes, 5 packets";

    [Fact]
    public void Each_end_shows_established_since_its_traffic_each_way_and_the_next_rekey_or_unknown_when_not_read()
    {
        RenderProviders();
        var links = LinkSaBuilder.Build(SaFixtures.Spec, SaFixtures.Hosts(SaFixtures.Read(SaFixtures.Vm1, "vm1-established.txt", Read)))!.Value;

        var list = Render<LinkSaList>(p => p.Add(x => x.Links, links));

        var vm1 = list.Find($"[data-ipsec-end={SaFixtures.Vm1}]");
        Assert.Equal("established", vm1.GetAttribute("data-state"));
        Assert.Equal($"Established since {EstablishedSince}", vm1.QuerySelector("[data-sa-chip]")!.TextContent.Trim());
        Assert.Contains("mud-chip-color-success", vm1.QuerySelector("[data-sa-chip]")!.ClassName);
        Assert.Equal(TrafficIn, vm1.QuerySelector("[data-in]")!.TextContent.Trim());
        Assert.Equal(TrafficOut, vm1.QuerySelector("[data-out]")!.TextContent.Trim());
        Assert.Equal(NextRekey, vm1.QuerySelector("[data-next-rekey]")!.TextContent.Trim());
        var vm2 = list.Find($"[data-ipsec-end={SaFixtures.Vm2}]");
        Assert.Equal("Unknown", vm2.QuerySelector("[data-sa-chip]")!.TextContent.Trim());
        Assert.Equal("—", vm2.QuerySelector("[data-in]")!.TextContent.Trim());
    }

    [Fact]
    public void An_ike_sa_still_connecting_is_not_established_and_says_so()
    {
        var links = LinkSaBuilder.Build(SaFixtures.Spec, SaFixtures.Hosts(SaFixtures.Read(SaFixtures.Vm1, "vm1-connecting.txt", Read)))!.Value;

        var list = Render<LinkSaList>(p => p.Add(x => x.Links, links));

        var chip = list.Find($"[data-ipsec-end={SaFixtures.Vm1}] [data-sa-chip]");
        Assert.Equal("Not established (connecting)", chip.TextContent.Trim());
        Assert.Contains("mud-chip-color-warning", chip.ClassName);
        Assert.Equal("—", list.Find($"[data-ipsec-end={SaFixtures.Vm1}] [data-next-rekey]").TextContent.Trim());
    }
}
