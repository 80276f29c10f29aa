using Superbridge.Core.Allocation;
using Superbridge.Core.Model;
using Superbridge.Core.Observed;
using Superbridge.Core.Planning;
using Superbridge.Core.Tests.Support;
using Superbridge.Core.Validation;

namespace Superbridge.Core.Tests.Validation;

public class SegmentValidatorTests
{
    private static readonly Dictionary<HostId, HostInfo> Hosts = Given.Hosts(3);

    private static ValidationError SingleError(SegmentSpec spec, IReadOnlyDictionary<HostId, HostInfo>? hosts = null,
        IReadOnlyDictionary<HostId, ObservedHost>? observed = null, IEnumerable<Segment>? existing = null)
    {
        var result = SegmentAllocator.Allocate(spec, hosts ?? Hosts, existing ?? [], observed);
        Assert.False(result.IsOk, "expected the spec to be rejected");
        return Assert.Single(result.Errors);
    }

    private static SegmentSpec L2tp => Given.Segment(Transport.L2tpv3Udp, 2);
    private static SegmentSpec Gre => Given.Segment(Transport.Gretap, 2);
    private static SegmentSpec Vxlan => Given.Segment(Transport.Vxlan, 3);

    public static TheoryData<string, SegmentSpec, string, ErrorCode> BadSpecs => new()
    {
        { "segment name", L2tp with { Name = "Lan!" }, "name", ErrorCode.InvalidName },
        { "bridge too long", L2tp with { Bridge = "superbridge-0123" }, "bridge", ErrorCode.InvalidName },
        { "bridge with slash", L2tp with { Bridge = "br/0" }, "bridge", ErrorCode.InvalidName },
        { "bridge dotdot", L2tp with { Bridge = ".." }, "bridge", ErrorCode.InvalidName },
        { "unknown transport", L2tp with { Transport = (Transport)42 }, "transport", ErrorCode.Unsupported },
        { "unknown member", L2tp with { Members = ["h1", "h2", "h9"], Links = [Given.Link("h1", "h2"), Given.Link("h2", "h9")] }, "members[2]", ErrorCode.UnknownHost },
        { "duplicate member", L2tp with { Members = ["h1", "h2", "h2"] }, "members[2]", ErrorCode.Duplicate },
        { "link to non-member", L2tp with { Links = [Given.Link("h1", "h2"), Given.Link("h2", "h3")] }, "links[1].b", ErrorCode.NotMember },
        { "link to itself", L2tp with { Links = [Given.Link("h1", "h2"), Given.Link("h1", "h1")] }, "links[1]", ErrorCode.NotAllowed },
        { "duplicate link", L2tp with { Links = [Given.Link("h1", "h2"), Given.Link("h2", "h1")] }, "links[1]", ErrorCode.Duplicate },
        { "tunnel id 0", L2tp with { Links = [Given.Link("h1", "h2") with { TunnelId = 0 }] }, "links[0].tunnelId", ErrorCode.OutOfRange },
        { "tunnel id too big", L2tp with { Links = [Given.Link("h1", "h2") with { TunnelId = 4294967296 }] }, "links[0].tunnelId", ErrorCode.OutOfRange },
        { "peer tunnel id negative", L2tp with { Links = [Given.Link("h1", "h2") with { PeerTunnelId = -1 }] }, "links[0].peerTunnelId", ErrorCode.OutOfRange },
        { "session id 0", L2tp with { Links = [Given.Link("h1", "h2") with { SessionId = 0 }] }, "links[0].sessionId", ErrorCode.OutOfRange },
        { "peer session too big", L2tp with { Links = [Given.Link("h1", "h2") with { PeerSessionId = 1L << 32 }] }, "links[0].peerSessionId", ErrorCode.OutOfRange },
        { "port 0", L2tp with { Links = [Given.Link("h1", "h2") with { SourcePort = 0 }] }, "links[0].sourcePort", ErrorCode.OutOfRange },
        { "port 65536", L2tp with { Links = [Given.Link("h1", "h2") with { DestinationPort = 65536 }] }, "links[0].destinationPort", ErrorCode.OutOfRange },
        { "cookie 7 digits", L2tp with { Links = [Given.Link("h1", "h2") with { Cookie = "0123abc" }] }, "links[0].cookie", ErrorCode.InvalidFormat },
        { "cookie not hex", L2tp with { Links = [Given.Link("h1", "h2") with { PeerCookie = "0123abcz" }] }, "links[0].peerCookie", ErrorCode.InvalidFormat },
        { "ports on encap ip", L2tp with { Transport = Transport.L2tpv3Ip, Links = [Given.Link("h1", "h2") with { SourcePort = 1701 }] }, "links[0].sourcePort", ErrorCode.NotAllowed },
        { "gre key on l2tp", L2tp with { Links = [Given.Link("h1", "h2") with { GreKey = 5 }] }, "links[0].greKey", ErrorCode.NotAllowed },
        { "gre key too big", Gre with { Links = [Given.Link("h1", "h2") with { GreKey = 4294967296 }] }, "links[0].greKey", ErrorCode.OutOfRange },
        { "gre key negative", Gre with { Links = [Given.Link("h1", "h2") with { GreKey = -1 }] }, "links[0].greKey", ErrorCode.OutOfRange },
        { "tunnel id on gretap", Gre with { Links = [Given.Link("h1", "h2") with { TunnelId = 5 }] }, "links[0].tunnelId", ErrorCode.NotAllowed },
        { "vni 0", Vxlan with { Vni = 0 }, "vni", ErrorCode.OutOfRange },
        { "vni too big", Vxlan with { Vni = 16777216 }, "vni", ErrorCode.OutOfRange },
        { "vni on gretap", Gre with { Vni = 5 }, "vni", ErrorCode.NotAllowed },
        { "links on vxlan", Vxlan with { Links = [Given.Link("h1", "h2")] }, "links", ErrorCode.NotAllowed },
        { "not connected", L2tp with { Members = ["h1", "h2", "h3"] }, "links", ErrorCode.NotConnected },
        { "router not member", L2tp with { Router = Given.Router("h3") }, "router.host", ErrorCode.NotMember },
        { "gateway without prefix", L2tp with { Router = Given.Router() with { Gateway = "10.0.2.1" } }, "router.gateway", ErrorCode.InvalidAddress },
        { "gateway bad prefix", L2tp with { Router = Given.Router() with { Gateway = "10.0.2.1/33" } }, "router.gateway", ErrorCode.InvalidPrefix },
        { "gateway stray dot", L2tp with { Router = Given.Router() with { Gateway = "10.0.2.1./24" } }, "router.gateway", ErrorCode.InvalidAddress },
        { "gateway is network", L2tp with { Router = Given.Router() with { Gateway = "10.0.2.0/24" } }, "router.gateway", ErrorCode.InvalidAddress },
        { "gateway /31", L2tp with { Router = Given.Router() with { Gateway = "10.0.2.1/31" } }, "router.gateway", ErrorCode.InvalidPrefix },
        { "gateway ipv6", L2tp with { Router = Given.Router() with { Gateway = "2001:db8::1/64" } }, "router.gateway", ErrorCode.InvalidAddress },
        { "range outside subnet", L2tp with { Router = Given.Router() with { DhcpRange = new("10.0.1.2", "10.0.2.254") } }, "router.dhcpRange.start", ErrorCode.OutOfRange },
        { "range end broadcast", L2tp with { Router = Given.Router() with { DhcpRange = new("10.0.2.2", "10.0.2.255") } }, "router.dhcpRange.end", ErrorCode.OutOfRange },
        { "range reversed", L2tp with { Router = Given.Router() with { DhcpRange = new("10.0.2.200", "10.0.2.100") } }, "router.dhcpRange", ErrorCode.OutOfRange },
        { "range includes gateway", L2tp with { Router = Given.Router() with { DhcpRange = new("10.0.2.1", "10.0.2.254") } }, "router.dhcpRange", ErrorCode.Conflict },
        { "range start garbage", L2tp with { Router = Given.Router() with { DhcpRange = new("10.0.2.2.", "10.0.2.254") } }, "router.dhcpRange.start", ErrorCode.InvalidAddress },
        { "no range", L2tp with { Router = Given.Router() with { DhcpRange = null } }, "router.dhcpRange", ErrorCode.Required },
        { "lease time", L2tp with { Router = Given.Router() with { LeaseTime = "12 hours" } }, "router.leaseTime", ErrorCode.InvalidFormat },
        { "nat interface", L2tp with { Router = Given.Router() with { NatOutInterface = "eth0;x" } }, "router.natOutInterface", ErrorCode.InvalidName },
        { "nat interface without nat", L2tp with { Router = Given.Router() with { Nat = false, NatOutInterface = "eth0" } }, "router.natOutInterface", ErrorCode.NotAllowed },
        { "external without interface", L2tp with { Router = new RouterSpec { Host = "h1", Mode = RouterMode.External } }, "router.externalInterface", ErrorCode.Required },
        { "external with gateway", L2tp with { Router = new RouterSpec { Host = "h1", Mode = RouterMode.External, ExternalInterface = "eth1", Gateway = "10.0.2.1/24" } }, "router.gateway", ErrorCode.NotAllowed },
        { "mtu too big", L2tp with { Mtu = 1447 }, "mtu", ErrorCode.OutOfRange },
        { "mtu too small", L2tp with { Mtu = 500 }, "mtu", ErrorCode.OutOfRange },
        { "attachment to non-member", L2tp with { Attachments = [new AttachmentSpec("h3", "web")] }, "attachments[0].host", ErrorCode.NotMember },
        { "attachment bad container", L2tp with { Attachments = [new AttachmentSpec("h1", "web/../x")] }, "attachments[0].container", ErrorCode.InvalidName },
        { "attachment host not observed", L2tp with { Attachments = [new AttachmentSpec("h1", "web")] }, "attachments[0].host", ErrorCode.Required },
    };

    [Theory]
    [MemberData(nameof(BadSpecs))]
    public void Rejects_with_a_typed_error_naming_the_field(string why, SegmentSpec spec, string path, ErrorCode code)
    {
        var error = SingleError(spec);
        Assert.True(error.Path == path && error.Code == code, $"{why}: got {error.Path} {error.Code} ({error.Message})");
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Fact]
    public void A_segment_without_a_router_is_plain_layer_2_with_no_address_dnsmasq_or_nat()
    {
        var segment = Given.Allocated(L2tp with { Router = null }, Hosts);

        var plan = SegmentPlanner.Plan(segment, Hosts);

        Assert.True(plan.IsOk, string.Join("; ", plan.Errors));
        Assert.Null(segment.Allocation.Router);
        var lines = plan.Value.Hosts.SelectMany(h => h.Steps).Select(s => s.Do.ToShellLine()).ToList();
        Assert.Contains(lines, l => l.StartsWith("ip l2tp add tunnel", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("dnsmasq", StringComparison.Ordinal) || l.StartsWith("iptables", StringComparison.Ordinal) || l.StartsWith("ip address add", StringComparison.Ordinal) || l.StartsWith("ip addr add", StringComparison.Ordinal));
    }

    [Fact]
    public void Nothing_is_planned_when_anything_is_wrong()
    {
        var good = Given.Allocated(L2tp, Hosts);
        var bad = good with { Spec = good.Spec with { Router = good.Spec.Router! with { LeaseTime = "soon" } } };
        var result = SegmentPlanner.Plan(bad, Hosts);
        Assert.False(result.IsOk);
        Assert.Throws<InvalidOperationException>(() => result.Value);
        Assert.Equal("router.leaseTime", Assert.Single(result.Errors).Path);
    }

    [Fact]
    public void Reports_every_bad_field_at_once()
    {
        var spec = L2tp with { Bridge = "", Name = "", Router = Given.Router() with { LeaseTime = "x" } };
        var result = SegmentAllocator.Allocate(spec, Hosts, []);
        Assert.Equal(["bridge", "name", "router.leaseTime"], result.Errors.Select(e => e.Path).Order());
    }

    [Theory]
    [InlineData("1.1.1.1.", "hosts[h1].address", ErrorCode.InvalidAddress)]
    [InlineData("1.1.1.1 ", "hosts[h1].address", ErrorCode.InvalidAddress)]
    [InlineData("127.0.0.1", "hosts[h1].address", ErrorCode.InvalidAddress)]
    public void Host_addresses_are_strict(string address, string path, ErrorCode code)
    {
        var hosts = Given.Hosts(Given.Host(1, address), Given.Host(2));
        var error = SingleError(L2tp, hosts);
        Assert.Equal((path, code), (error.Path, error.Code));
    }

    [Fact]
    public void Host_fields_are_validated()
    {
        var hosts = Given.Hosts(Given.Host(1) with { UnderlayDevice = "eth 0", UnderlayMtu = 100, LxcPath = "relative" }, Given.Host(2));
        var result = SegmentAllocator.Allocate(L2tp, hosts, []);
        Assert.Equal(["hosts[h1].lxcPath", "hosts[h1].underlayDevice", "hosts[h1].underlayMtu"], result.Errors.Select(e => e.Path).Order());
    }

    [Fact]
    public void Host_key_must_match_its_id()
    {
        var hosts = new Dictionary<HostId, HostInfo> { ["h1"] = Given.Host(1), ["h2"] = Given.Host(3) };
        Assert.Equal("hosts[h2].id", SingleError(L2tp, hosts).Path);
    }

    [Fact]
    public void Links_of_different_address_families_are_rejected()
    {
        var hosts = Given.Hosts(Given.Host(1), Given.Host(2, "2001:db8::2"));
        Assert.Equal(("links[0]", ErrorCode.Mismatch), (SingleError(Gre, hosts).Path, SingleError(Gre, hosts).Code));
    }

    [Theory]
    [InlineData(Transport.Gretap, "ip_gre")]
    [InlineData(Transport.L2tpv3Udp, "l2tp_eth")]
    [InlineData(Transport.L2tpv3Ip, "l2tp_ip")]
    [InlineData(Transport.Vxlan, "vxlan")]
    public void A_transport_the_kernel_lacks_is_rejected(Transport transport, string module)
    {
        var observed = Given.ObservedAll(2);
        var lacking = transport switch
        {
            Transport.Gretap => Given.AllFeatures with { Gretap = false },
            Transport.L2tpv3Udp => Given.AllFeatures with { L2tpv3 = false },
            Transport.L2tpv3Ip => Given.AllFeatures with { L2tpIp = false },
            _ => Given.AllFeatures with { Vxlan = false },
        };
        observed["h2"] = observed["h2"] with { Features = lacking };
        var error = SingleError(Given.Segment(transport, 2), Given.Hosts(2), observed);
        Assert.Equal(("members[1]", ErrorCode.Unsupported), (error.Path, error.Code));
        Assert.Contains(module, error.Message);
    }

    [Fact]
    public void Kernel_features_from_the_host_record_count_when_not_observed()
    {
        var hosts = Given.Hosts(Given.Host(1), Given.Host(2) with { Features = Given.AllFeatures with { Bridge = false } });
        var error = SingleError(L2tp, hosts);
        Assert.Equal("members[1]", error.Path);
        Assert.Contains("bridge", error.Message);
    }

    [Fact]
    public void A_container_that_does_not_exist_is_rejected()
    {
        var observed = Given.ObservedAll(2);
        observed["h2"] = Given.Observed("h2", Given.Container("db"));
        var error = SingleError(L2tp with { Attachments = [new AttachmentSpec("h2", "web")] }, observed: observed);
        Assert.Equal(("attachments[0].container", ErrorCode.NotFound), (error.Path, error.Code));
    }

    [Fact]
    public void Duplicate_pinned_tunnel_ids_on_one_host_are_rejected()
    {
        var spec = Given.Segment(Transport.L2tpv3Udp, 3) with
        {
            Links = [Given.Link("h1", "h2") with { PeerTunnelId = 7 }, Given.Link("h2", "h3") with { TunnelId = 7 }],
        };
        var error = SingleError(spec);
        Assert.Equal(("links[1].tunnelId", ErrorCode.Duplicate), (error.Path, error.Code));
    }

    [Fact]
    public void Overlapping_subnets_between_segments_are_rejected()
    {
        var first = Given.Allocated(L2tp, Hosts);
        var second = Given.Segment(Transport.Gretap, 2, "dmz") with
        {
            Bridge = "superbr1",
            Router = Given.Router() with { Gateway = "10.0.0.1/16", DhcpRange = new("10.0.5.2", "10.0.5.254") },
        };
        var error = SingleError(second, existing: [first]);
        Assert.Equal(("router.gateway", ErrorCode.Conflict), (error.Path, error.Code));
        Assert.Contains("lan", error.Message);
    }

    [Fact]
    public void The_same_bridge_on_a_shared_host_is_rejected()
    {
        var first = Given.Allocated(L2tp, Hosts);
        var second = Given.Segment(Transport.Gretap, 2, "dmz") with { Router = Given.Router() with { Gateway = "10.9.0.1/24", DhcpRange = new("10.9.0.2", "10.9.0.9") } };
        Assert.Equal(("bridge", ErrorCode.Conflict), (SingleError(second, existing: [first]).Path, SingleError(second, existing: [first]).Code));
    }

    [Fact]
    public void A_pinned_vni_used_by_another_segment_is_rejected()
    {
        var first = Given.Allocated(Vxlan with { Vni = 42 }, Hosts);
        var second = Vxlan with { Name = "dmz", Bridge = "superbr1", Vni = 42, Router = Given.Router() with { Gateway = "10.9.0.1/24", DhcpRange = new("10.9.0.2", "10.9.0.9") } };
        Assert.Equal(("vni", ErrorCode.Conflict), (SingleError(second, existing: [first]).Path, SingleError(second, existing: [first]).Code));
    }

    [Fact]
    public void A_tampered_allocation_is_rejected_before_planning()
    {
        var segment = Given.Allocated(L2tp, Hosts);
        var tampered = segment with
        {
            Allocation = segment.Allocation with { Links = [segment.Allocation.Links[0] with { DeviceA = "x;reboot", TunnelIdB = 0 }] },
        };
        var result = SegmentPlanner.Plan(tampered, Hosts);
        Assert.Equal(["allocation.links[0].deviceA", "allocation.links[0].tunnelIdB"], result.Errors.Select(e => e.Path).Order());
    }
}

public class GatewayAgainstHostTests
{
    [Fact]
    public void A_gateway_subnet_overlapping_an_address_on_the_router_host_is_rejected()
    {
        var observed = Given.ObservedAll(2);
        observed["h1"] = observed["h1"] with { Addresses = [new ObservedAddress("eth0", "inet", "10.0.0.5", 16)] };
        var result = SegmentAllocator.Allocate(Given.Segment(Transport.Vxlan), Given.Hosts(2), [], observed);
        var error = Assert.Single(result.Errors);
        Assert.Equal(("router.gateway", ErrorCode.Conflict), (error.Path, error.Code));
        Assert.Contains("10.0.0.0/16 on eth0 of h1", error.Message);
    }

    [Fact]
    public void The_segment_s_own_gateway_address_on_its_bridge_is_not_a_conflict()
    {
        var observed = Given.ObservedAll(2);
        observed["h1"] = observed["h1"] with { Addresses = [new ObservedAddress("superbr0", "inet", "10.0.2.1", 24)] };
        Assert.True(SegmentAllocator.Allocate(Given.Segment(Transport.Vxlan), Given.Hosts(2), [], observed).IsOk);
    }
}
