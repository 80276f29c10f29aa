using CsCheck;
using Superbridge.Core.Allocation;
using Superbridge.Core.Model;
using Superbridge.Core.Observed;
using Superbridge.Core.Planning;
using Superbridge.Core.Tests.Support;

namespace Superbridge.Core.Tests.Properties;

/// <summary>
/// Hostile strings in every string field: none is ever planned. Each is refused with an error whose
/// path names the field, and the error message stays short and printable.
/// </summary>
public class HostileInputTests
{
    private static readonly string[] Known =
    [
        ";", "$(reboot)", "`id`", "'", "\"", "\n", "a b", "ünï", "日本", "🚀", new string('a', 10_000), "x;rm -rf /",
        "1.1.1.1\n", "superbr0\n", "-n", "--help", "..", ".", "a\0b", "superbr0 ", " superbr0", "10.0.2.1/24;", "$HOME",
        "br0'", "12h\n", "\u2028", "\r", "a\\b", "*", "a|b", "a&b", ">x", "{a,b}", "~", "!x", "#x", "%0a", "",
    ];

    private static readonly Gen<string> Hostile = Gen.OneOf(
        Gen.OneOf(Known),
        Gen.Select(Gen.String[Gen.Char["abz019._-"], 0, 8], Gen.Char[";$`'\"\n\t (){}|&<>*?!#~\\\u00e9\u2028\r\0"], Gen.String[Gen.Char["abz019._-"], 0, 8],
            (a, bad, b) => a + bad + b),
        Gen.Select(Gen.String[Gen.Char["abz019"], 0, 4], Gen.Int[2_000, 12_000], (a, n) => a + new string('x', n)));

    private delegate (SegmentSpec, Dictionary<HostId, HostInfo>, Dictionary<HostId, ObservedHost>) Mutation(
        SegmentSpec spec, Dictionary<HostId, HostInfo> hosts, Dictionary<HostId, ObservedHost> observed, string value);

    private static SegmentSpec BaseSpec => Given.Segment(Transport.L2tpv3Udp, 2) with
    {
        Router = Given.Router() with { NatOutInterface = "eth0" },
        Attachments = [new AttachmentSpec("h2", "web")],
    };

    private static Dictionary<HostId, ObservedHost> BaseObserved()
    {
        var observed = Given.ObservedAll(2);
        observed["h2"] = Given.Observed("h2", Given.Container("web"));
        return observed;
    }

    public static TheoryData<string> Fields => [.. Mutations.Keys];

    private static readonly Dictionary<string, Mutation> Mutations = new()
    {
        ["name"] = (s, h, o, v) => (s with { Name = v }, h, o),
        ["bridge"] = (s, h, o, v) => (s with { Bridge = v }, h, o),
        ["members[1]"] = (s, h, o, v) => (s with { Members = ["h1", v] }, h, o),
        ["links[0].a"] = (s, h, o, v) => (s with { Links = [s.Links[0] with { A = v }] }, h, o),
        ["links[0].cookie"] = (s, h, o, v) => (s with { Links = [s.Links[0] with { Cookie = v }] }, h, o),
        ["links[0].peerCookie"] = (s, h, o, v) => (s with { Links = [s.Links[0] with { PeerCookie = v }] }, h, o),
        ["hosts[h1].address"] = (s, h, o, v) => (s, With(h, "h1", x => x with { Address = v }), o),
        ["hosts[h2].underlayDevice"] = (s, h, o, v) => (s, With(h, "h2", x => x with { UnderlayDevice = v }), o),
        ["hosts[h2].lxcPath"] = (s, h, o, v) => (s, With(h, "h2", x => x with { LxcPath = v }), o),
        ["router.host"] = (s, h, o, v) => (s with { Router = s.Router! with { Host = v } }, h, o),
        ["router.gateway"] = (s, h, o, v) => (s with { Router = s.Router! with { Gateway = v } }, h, o),
        ["router.dhcpRange.start"] = (s, h, o, v) => (s with { Router = s.Router! with { DhcpRange = s.Router.DhcpRange! with { Start = v } } }, h, o),
        ["router.dhcpRange.end"] = (s, h, o, v) => (s with { Router = s.Router! with { DhcpRange = s.Router.DhcpRange! with { End = v } } }, h, o),
        ["router.leaseTime"] = (s, h, o, v) => (s with { Router = s.Router! with { LeaseTime = v } }, h, o),
        ["router.natOutInterface"] = (s, h, o, v) => (s with { Router = s.Router! with { NatOutInterface = v } }, h, o),
        ["router.externalInterface"] = (s, h, o, v) =>
            (s with { Router = new RouterSpec { Host = "h1", Mode = RouterMode.External, ExternalInterface = v } }, h, o),
        ["uplinks[0].host"] = (s, h, o, v) => (s with { Uplinks = [new UplinkSpec(v, "eth0")] }, h, o),
        ["uplinks[0].interface"] = (s, h, o, v) => (s with { Uplinks = [new UplinkSpec("h1", v)] }, h, o),
        ["attachments[0].host"] = (s, h, o, v) => (s with { Attachments = [new AttachmentSpec(v, "web")] }, h, o),
        ["attachments[0].container"] = (s, h, o, v) => (s with { Attachments = [new AttachmentSpec("h2", v)] }, h, o),
        // Observed state is input too: a hostile current link must not reach sed.
        ["attachments[0].container "] = (s, h, o, v) =>
        {
            var observed = new Dictionary<HostId, ObservedHost>(o) { ["h2"] = Given.Observed("h2", Given.Container("web", link: v)) };
            return (s, h, observed);
        },
    };

    private static Dictionary<HostId, HostInfo> With(Dictionary<HostId, HostInfo> hosts, string id, Func<HostInfo, HostInfo> change) =>
        new(hosts) { [id] = change(hosts[id]) };

    [Theory]
    [MemberData(nameof(Fields))]
    public void A_hostile_string_in_any_field_is_refused_naming_that_field(string field)
    {
        var mutate = Mutations[field];
        var path = field.Trim();
        Hostile.Sample(value =>
        {
            var (spec, hosts, observed) = mutate(BaseSpec, Given.Hosts(2), BaseObserved(), value);
            var result = SegmentAllocator.Allocate(spec, hosts, [], observed);
            Assert.False(result.IsOk, $"accepted {Printable(value)} in {path}");
            Assert.Contains(result.Errors, e => e.Path == path || e.Path.StartsWith(path + ".", StringComparison.Ordinal));
            Assert.All(result.Errors, e => Assert.True(e.Message.Length < 300 && !e.Message.Contains('\n') && !e.Message.Contains('\0')));
        }, iter: 300);
    }

    public static TheoryData<string> StoredFields =>
    [
        "allocation.links[0].deviceA", "allocation.links[0].deviceB", "allocation.links[0].cookieA",
        "allocation.attachments[0].previousLink", "allocation.vxlanDevices[h1]", "allocation.router.previousIpv4Forward",
    ];

    /// <summary>Allocations come back from the database; a tampered one is refused by the planner too.</summary>
    [Theory]
    [MemberData(nameof(StoredFields))]
    public void A_hostile_string_in_a_stored_allocation_is_refused_by_the_planner(string field)
    {
        var hosts = Given.Hosts(2);
        var l2tp = SegmentAllocator.Allocate(BaseSpec, hosts, [], BaseObserved()).Value;
        var vxlan = SegmentAllocator.Allocate(BaseSpec with { Transport = Transport.Vxlan, Links = [] }, hosts, [], BaseObserved()).Value;
        Hostile.Sample(value =>
        {
            var a = l2tp.Allocation;
            var segment = field switch
            {
                "allocation.links[0].deviceA" => l2tp with { Allocation = a with { Links = [a.Links[0] with { DeviceA = value }] } },
                "allocation.links[0].deviceB" => l2tp with { Allocation = a with { Links = [a.Links[0] with { DeviceB = value }] } },
                "allocation.links[0].cookieA" => l2tp with { Allocation = a with { Links = [a.Links[0] with { CookieA = value }] } },
                "allocation.attachments[0].previousLink" => l2tp with { Allocation = a with { Attachments = [a.Attachments[0] with { PreviousLink = value }] } },
                "allocation.router.previousIpv4Forward" => l2tp with { Allocation = a with { Router = a.Router! with { PreviousIpv4Forward = value } } },
                _ => vxlan with { Allocation = vxlan.Allocation with { VxlanDevices = [new HostDevice("h1", value), vxlan.Allocation.VxlanDevices[1]] } },
            };
            foreach (var result in new[]
            {
                SegmentPlanner.Plan(segment, hosts, BaseObserved()),
                SegmentPlanner.PlanTeardown(segment, hosts, BaseObserved()),
            })
            {
                Assert.False(result.IsOk, $"planned {Printable(value)} in {field}");
                Assert.Contains(result.Errors, e => e.Path == field);
            }
        }, iter: 200);
    }

    private static string Printable(string value) =>
        value.Length > 40 ? $"{value.Length} chars" : string.Concat(value.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));
}
