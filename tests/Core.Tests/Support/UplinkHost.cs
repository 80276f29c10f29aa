using Superbridge.Core.Model;
using Superbridge.Core.Observed;
using Superbridge.Core.Tests.Observed;

namespace Superbridge.Core.Tests.Support;

/// <summary>
/// The captured host of Fixtures/uplinks (capture.sh) as h1 at its SSH address 198.51.100.60, with h2 behind its
/// 203.0.113.0/24 route (sbcap-wan) and h3 on its management subnet; h2 and h3 observed empty.
/// </summary>
internal static class UplinkHost
{
    public static ObservedHost Captured()
    {
        var json = FixtureFiles.Read("uplinks/addr-details.json");
        return Given.Observed("sblab-h1") with
        {
            Links = IpLinkParser.Parse(json),
            Addresses = IpAddrParser.Parse(json),
            Routes = IpRouteParser.Parse(FixtureFiles.Read("uplinks/routes.txt")),
        };
    }

    /// <summary>The capture as it was before the segment: no superbr0, sbcap-in released; <paramref name="down"/> set down.</summary>
    public static ObservedHost BeforeSegment(string? down = null)
    {
        var captured = Captured();
        return captured with
        {
            Links = [.. captured.Links.Where(l => l.Name != "superbr0")
                .Select(l => l.Master == "superbr0" ? l with { Master = null } : l)
                .Select(l => l.Name == down ? l with { IsUp = false } : l)],
        };
    }

    /// <summary>The host after the segment's bridge was made and <paramref name="nic"/> enslaved to it.</summary>
    public static ObservedHost Applied(ObservedHost before, string nic) => before with
    {
        Links = [.. before.Links.Where(l => l.Name != "superbr0").Select(l => l.Name == nic ? l with { Master = "superbr0", IsUp = true } : l),
            new ObservedLink { Name = "superbr0", Kind = "bridge", IsUp = true, Mtu = 1462 }],
    };

    /// <summary>h1 binds its tunnels to its SSH address, as configured: its route to h2 would pick sbcap-wan's address,
    /// which, unlike the address h2 sends to, would make it a NATed host (and gretap refused).</summary>
    public static Dictionary<HostId, HostInfo> Hosts() => Given.Hosts(
        Given.Host(1, "198.51.100.60") with { TunnelAddress = "198.51.100.60" }, Given.Host(2, "203.0.113.7"), Given.Host(3, "198.51.100.61"));

    public static Dictionary<HostId, ObservedHost> Observed(ObservedHost? h1 = null) => new()
    {
        ["h1"] = h1 ?? Captured(), ["h2"] = Given.Observed("h2"), ["h3"] = Given.Observed("h3"),
    };

    /// <summary>A gretap chain h1–h2–h3 routed by h1 (gateway mode) with the given uplinks.</summary>
    public static SegmentSpec Segment(params UplinkSpec[] uplinks) => Given.Segment(Transport.Gretap, 3) with { Uplinks = [.. uplinks] };

    public static SegmentSpec External(string nic) =>
        Given.Segment(Transport.Gretap, 3) with { Router = new RouterSpec { Host = "h1", Mode = RouterMode.External, ExternalInterface = nic } };
}
