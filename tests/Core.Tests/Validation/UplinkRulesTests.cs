using Superbridge.Core.Allocation;
using Superbridge.Core.Model;
using Superbridge.Core.Validation;
using Superbridge.Core.Tests.Support;

namespace Superbridge.Core.Tests.Validation;

/// <summary>The management-NIC guard and the uplink rules, against the captured host of Fixtures/uplinks.</summary>
public class UplinkRulesTests
{
    public static TheoryData<string, ErrorCode, string> Refused => new()
    {
        { "sbcap-mgmt", ErrorCode.Conflict, "sbcap-mgmt carries h1's SSH and tunnel address 198.51.100.60, the default route, the tunnels to h3 (198.51.100.61);" },
        { "sbcap-wan", ErrorCode.Conflict, "sbcap-wan carries the tunnels to h2 (203.0.113.7);" },
        { "lo", ErrorCode.NotAllowed, "lo is the loopback interface" },
        { "sbcap-br9", ErrorCode.NotAllowed, "sbcap-br9 is a bridge, not a NIC" },
        { "sbcap-port", ErrorCode.Conflict, "sbcap-port is a port of bridge sbcap-br9; release it from there first" },
        { "eth7", ErrorCode.NotFound, "host h1 has no interface eth7" },
    };

    private static List<ValidationError> Errors(SegmentSpec spec, Dictionary<HostId, Core.Observed.ObservedHost>? observed) =>
        [.. SegmentValidator.Validate(spec, UplinkHost.Hosts(), observed)];

    [Theory]
    [MemberData(nameof(Refused))]
    public void An_uplink_that_is_not_a_spare_nic_is_refused_naming_the_field_and_the_reason(string nic, ErrorCode code, string reason)
    {
        var error = Assert.Single(Errors(UplinkHost.Segment(new UplinkSpec("h1", nic)), UplinkHost.Observed()));
        Assert.Equal("uplinks[0].interface", error.Path);
        Assert.Equal(code, error.Code);
        Assert.StartsWith(reason, error.Message);
    }

    [Theory]
    [MemberData(nameof(Refused))]
    public void The_external_router_interface_is_refused_for_the_same_reasons(string nic, ErrorCode code, string reason)
    {
        var error = Assert.Single(Errors(UplinkHost.External(nic), UplinkHost.Observed()));
        Assert.Equal("router.externalInterface", error.Path);
        Assert.Equal(code, error.Code);
        Assert.StartsWith(reason, error.Message);
    }

    [Fact]
    public void Over_a_management_network_the_ssh_nic_and_the_tunnel_nic_are_both_refused()
    {
        // Peers send to h1 at its wan address 192.0.2.10; the dashboard reaches it on sbcap-mgmt (where h3 is routed too).
        var hosts = UplinkHost.Hosts();
        hosts["h1"] = Given.Host(1, "192.0.2.10") with { SshAddress = "198.51.100.60" };
        var spec = Given.Segment(Transport.Vxlan, 3) with { Uplinks = [new UplinkSpec("h1", "sbcap-mgmt"), new UplinkSpec("h1", "sbcap-wan")], Stp = true };

        var errors = SegmentValidator.Validate(spec, hosts, UplinkHost.Observed()).ToList();

        Assert.Contains(errors, e => e.Path == "uplinks[0].interface" && e.Message.StartsWith("sbcap-mgmt carries h1's SSH and tunnel address 198.51.100.60", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Path == "uplinks[1].interface" && e.Message.StartsWith("sbcap-wan carries h1's tunnel address 192.0.2.10", StringComparison.Ordinal));
    }

    [Fact]
    public void The_refusal_says_the_nic_would_lose_its_addresses_and_cut_the_dashboard_off()
    {
        var error = Assert.Single(Errors(UplinkHost.External("sbcap-mgmt"), UplinkHost.Observed()));
        Assert.EndsWith("; as a port of superbr0 it would lose them and cut the dashboard off mid-apply", error.Message);
    }

    [Theory]
    [InlineData("sbcap-spare")] // up, no address, no route
    [InlineData("sbcap-in")] // already a port of this segment's bridge: an applied uplink
    public void A_spare_nic_or_one_already_in_the_segments_bridge_is_accepted(string nic)
    {
        Assert.Empty(Errors(UplinkHost.Segment(new UplinkSpec("h1", nic)), UplinkHost.Observed()));
        Assert.Empty(Errors(UplinkHost.External(nic), UplinkHost.Observed()));
    }

    [Fact]
    public void A_nic_that_a_peer_is_routed_by_is_refused()
    {
        // A host route to h3 by sbcap-spare makes it the NIC h1's tunnel to h3 leaves by.
        var hosts = UplinkHost.Hosts();
        var observed = UplinkHost.Observed(UplinkHost.Captured() with
        {
            Routes = [.. UplinkHost.Captured().Routes, new Core.Observed.ObservedRoute("inet", "198.51.100.61", "sbcap-spare", null, null, 0)],
        });
        var error = Assert.Single(SegmentValidator.Validate(UplinkHost.Segment(new UplinkSpec("h1", "sbcap-spare")), hosts, observed));
        Assert.Equal("uplinks[0].interface", error.Path);
        Assert.Equal("sbcap-spare carries the tunnels to h3 (198.51.100.61); as a port of superbr0 it would lose them and cut the dashboard off mid-apply", error.Message);
    }

    [Fact]
    public void A_tunnel_device_is_refused_as_not_a_nic()
    {
        var captured = UplinkHost.Captured();
        var withTunnel = captured with { Links = [.. captured.Links, new Core.Observed.ObservedLink { Name = "sbx-lan-0", Kind = "vxlan", Master = "superbr0" }] };
        var error = Assert.Single(Errors(UplinkHost.Segment(new UplinkSpec("h1", "sbx-lan-0")), UplinkHost.Observed(withTunnel)));
        Assert.Equal(("uplinks[0].interface", ErrorCode.NotAllowed, "sbx-lan-0 is a vxlan tunnel, not a NIC"), (error.Path, error.Code, error.Message));
    }

    [Fact]
    public void An_uplink_on_a_host_not_observed_is_refused_since_its_nics_are_unknown()
    {
        var error = Assert.Single(Errors(UplinkHost.Segment(new UplinkSpec("h1", "sbcap-spare")), null));
        Assert.Equal(("uplinks[0].interface", ErrorCode.Required), (error.Path, error.Code));
        Assert.Contains("host h1 has not been observed", error.Message);
    }

    [Fact]
    public void An_uplink_on_a_host_outside_the_segment_or_with_a_bad_name_is_refused()
    {
        var errors = Errors(UplinkHost.Segment(new UplinkSpec("h9", "eth1"), new UplinkSpec("h1", "eth 1")) with { Stp = true }, UplinkHost.Observed());
        Assert.Equal([("uplinks[0].host", ErrorCode.NotMember), ("uplinks[1].interface", ErrorCode.InvalidName)],
            errors.Select(e => (e.Path, e.Code)));
    }

    [Fact]
    public void Two_uplinks_without_stp_are_refused_as_a_loop()
    {
        var spec = UplinkHost.Segment(new UplinkSpec("h1", "sbcap-spare"), new UplinkSpec("h1", "sbcap-in"));
        var error = Assert.Single(Errors(spec, UplinkHost.Observed()));
        Assert.Equal(("uplinks", ErrorCode.Cycle), (error.Path, error.Code));
        Assert.StartsWith("sbcap-spare on h1, sbcap-in on h1 would all join the segment: two NICs on one physical LAN", error.Message);
        Assert.Empty(Errors(spec with { Stp = true }, UplinkHost.Observed()));
    }

    [Fact]
    public void An_external_router_interface_and_an_uplink_without_stp_are_refused_as_a_loop()
    {
        var spec = UplinkHost.External("sbcap-spare") with { Uplinks = [new UplinkSpec("h1", "sbcap-in")] };
        Assert.Equal(["uplinks"], Errors(spec, UplinkHost.Observed()).Select(e => e.Path));
    }

    [Fact]
    public void The_same_nic_twice_is_refused_as_a_duplicate()
    {
        var spec = UplinkHost.External("sbcap-spare") with { Stp = true, Uplinks = [new UplinkSpec("h1", "sbcap-spare")] };
        var error = Assert.Single(Errors(spec, UplinkHost.Observed()));
        Assert.Equal(("uplinks[0].interface", ErrorCode.Duplicate), (error.Path, error.Code));
        Assert.Equal("sbcap-spare on h1 is already bridged by router.externalInterface", error.Message);
    }

    [Fact]
    public void A_nic_that_another_segment_bridges_is_refused()
    {
        var hosts = UplinkHost.Hosts();
        var observed = UplinkHost.Observed();
        var other = SegmentAllocator.Allocate(UplinkHost.Segment(new UplinkSpec("h1", "sbcap-spare")) with { Name = "other", Bridge = "superbr1" },
            hosts, [], observed).Value;
        var result = SegmentAllocator.Allocate(UplinkHost.External("sbcap-spare"), hosts, [other], observed);
        var error = Assert.Single(result.Errors);
        Assert.Equal(("router.externalInterface", ErrorCode.Conflict), (error.Path, error.Code));
        Assert.Equal("sbcap-spare on h1 is already in segment other", error.Message);
    }
}
