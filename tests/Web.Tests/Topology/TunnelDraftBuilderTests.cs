using Superbridge.Operations;
using Superbridge.Core.Model;
using Superbridge.Web.Segments;
using Superbridge.Web.Topology;
using static Superbridge.Web.Tests.Topology.TopologyFixtures;

namespace Superbridge.Web.Tests.Topology;

public sealed class TunnelDraftBuilderTests
{
    private static TunnelForm Form(string a, string b, Transport transport = Transport.Vxlan, string name = "lan1") =>
        new() { HostA = a, HostB = b, Name = name, Transport = transport };

    [Fact]
    public void A_new_vxlan_segment_gets_a_vni_a_device_per_host_the_computed_mtu_and_a_dhcp_router_on_the_first_host()
    {
        var draft = TunnelDraftBuilder.Build(Form("h1", "h2"), [], Known(2));

        Assert.True(draft.IsValid, string.Join("; ", draft.Draft.Errors));
        Assert.Equal(1u, draft.Vni);
        Assert.Equal("sbx-lan1-0", draft.VxlanDevice("h1"));
        Assert.Equal("sbx-lan1-0", draft.VxlanDevice("h2"));
        Assert.Equal(1450, draft.Mtu);
        Assert.Equal(1450, draft.MaximumMtu);
        Assert.Equal(["h1", "h2"], draft.Draft.Spec.Members.Select(m => m.Value));
        Assert.Equal("h1", draft.Draft.Spec.Router!.Host.Value);
        Assert.Equal("10.0.2.1/24", draft.Draft.Spec.Router.Gateway);
        Assert.Null(draft.LinkIndex);
    }

    [Fact]
    public void A_new_segment_with_a_stored_segments_name_is_refused_naming_the_name_field_instead_of_replacing_it()
    {
        var stored = Applied(Allocate(Vxlan("lan1", "h1", "h2"), Known(3)));

        var draft = TunnelDraftBuilder.Build(Form("h2", "h3"), [stored], Known(3));

        Assert.False(draft.IsValid);
        var error = Assert.Single(draft.Draft.Errors);
        Assert.Equal(TunnelFields.Name, error.Path);
        Assert.Contains("already exists", error.Message);
        Assert.Null(draft.Draft.Plan);
    }

    [Fact]
    public void Choosing_no_router_makes_a_plain_layer_2_segment_whose_plan_starts_no_dnsmasq()
    {
        var draft = TunnelDraftBuilder.Build(Form("h1", "h2") with { RouterHost = TunnelForm.NoRouter }, [], Known(2));

        Assert.True(draft.IsValid, string.Join("; ", draft.Draft.Errors));
        Assert.Null(draft.Draft.Spec.Router);
        var commands = draft.Draft.Plan!.Hosts.SelectMany(h => h.Steps).Select(s => string.Join(' ', s.Do.Argv)).ToList();
        Assert.Contains(commands, c => c.Contains("type vxlan", StringComparison.Ordinal));
        Assert.DoesNotContain(commands, c => c.Contains("dnsmasq", StringComparison.Ordinal) || c.Contains("MASQUERADE", StringComparison.Ordinal));
    }

    [Fact]
    public void A_new_l2tp_udp_tunnel_shows_both_ends_paired_ids_and_ports_as_core_allocates_them()
    {
        var draft = TunnelDraftBuilder.Build(Form("h1", "h2", Transport.L2tpv3Udp), [], Known(2));

        Assert.True(draft.IsValid, string.Join("; ", draft.Draft.Errors));
        var link = draft.Link!;
        Assert.Equal((1u, 1u, 1u, 1u), (link.TunnelIdA!.Value, link.TunnelIdB!.Value, link.SessionIdA!.Value, link.SessionIdB!.Value));
        Assert.Equal((1701, 1701), (link.PortA!.Value, link.PortB!.Value));
        Assert.Equal(("sbl-lan1-0", "sbl-lan1-0"), (link.DeviceA, link.DeviceB));
        Assert.Equal(0, draft.LinkIndex);
    }

    [Fact]
    public void Pinned_values_are_kept_and_an_invalid_one_is_reported_on_its_own_field_with_cores_words()
    {
        var form = Form("h1", "h2", Transport.L2tpv3Ip) with { Pins = new TunnelPins { TunnelId = 0, PeerTunnelId = 77 } };

        var draft = TunnelDraftBuilder.Build(form, [], Known(2));

        Assert.False(draft.IsValid);
        Assert.Equal("0 is outside 1..4294967295", draft.ErrorFor(TunnelFields.TunnelId));
        Assert.Null(draft.ErrorFor(TunnelFields.PeerTunnelId));
        Assert.Empty(draft.OtherErrors);

        var fixedDraft = TunnelDraftBuilder.Build(form with { Pins = form.Pins with { TunnelId = 42 } }, [], Known(2));
        Assert.True(fixedDraft.IsValid, string.Join("; ", fixedDraft.Draft.Errors));
        Assert.Equal((42u, 77u), (fixedDraft.Link!.TunnelIdA!.Value, fixedDraft.Link.TunnelIdB!.Value));
    }

    [Fact]
    public void Values_typed_for_another_transport_are_dropped_when_the_transport_changes()
    {
        var form = Form("h1", "h2", Transport.Gretap) with { Pins = new TunnelPins { TunnelId = 0, SourcePort = 9 } };

        var draft = TunnelDraftBuilder.Build(form, [], Known(2));

        Assert.True(draft.IsValid, string.Join("; ", draft.Draft.Errors));
        Assert.Null(draft.Draft.Spec.Links[0].TunnelId);
    }

    [Fact]
    public void A_link_that_closes_a_loop_is_refused_naming_the_cycle_unless_stp_is_on()
    {
        var hosts = Known(3);
        var chain = Applied(Allocate(Gretap("backbone", ("h1", "h2"), ("h2", "h3")), hosts));
        var form = new TunnelForm { HostA = "h3", HostB = "h1", ExistingSegment = "backbone" };

        var draft = TunnelDraftBuilder.Build(form, [chain], hosts);

        Assert.False(draft.IsValid);
        Assert.Equal("links h1–h2–h3–h1 form a cycle; remove a link or enable STP", draft.Loop);
        Assert.Empty(draft.OtherErrors);

        var withStp = TunnelDraftBuilder.Build(form with { Stp = true }, [chain], hosts);
        Assert.True(withStp.IsValid, string.Join("; ", withStp.Draft.Errors));
        Assert.Null(withStp.Loop);
        Assert.True(withStp.Draft.Spec.Stp);
    }

    [Fact]
    public void A_link_added_to_an_existing_segment_keeps_the_other_links_values_and_plans_only_the_change()
    {
        var hosts = Known(3);
        var segment = Allocate(Gretap("backbone", ("h1", "h2")), hosts);
        var record = Applied(segment);

        var draft = TunnelDraftBuilder.Build(new TunnelForm { HostA = "h2", HostB = "h3", ExistingSegment = "backbone" }, [record], hosts);

        Assert.True(draft.IsValid, string.Join("; ", draft.Draft.Errors));
        Assert.Equal(segment.Allocation.Links[0], draft.Draft.Segment!.Allocation.Links[0]);
        Assert.Equal(1, draft.LinkIndex);
        Assert.Equal(["h1", "h2", "h3"], draft.Draft.Spec.Members.Select(m => m.Value));
        Assert.Equal(Transport.Gretap, draft.Draft.Spec.Transport);
        // h1 already has its end; the change adds the new tunnel on h2 and the whole of h3.
        Assert.DoesNotContain(draft.Draft.Plan!.Hosts, h => h.Host.Value == "h1" && h.Steps.Any(s => s.Id.Contains(segment.Allocation.Links[0].DeviceA, StringComparison.Ordinal)));
        Assert.Contains(draft.Draft.Plan.Hosts, h => h.Host.Value == "h3" && h.Steps.Length > 0);
    }

    [Fact]
    public void Joining_two_hosts_already_in_a_vxlan_segment_is_refused_and_a_new_host_joins_the_mesh()
    {
        var hosts = Known(3);
        var record = Applied(Allocate(Vxlan("lab", "h1", "h2"), hosts));

        var same = TunnelDraftBuilder.Build(new TunnelForm { HostA = "h2", HostB = "h1", ExistingSegment = "lab" }, [record], hosts);
        var joined = TunnelDraftBuilder.Build(new TunnelForm { HostA = "h3", HostB = "h1", ExistingSegment = "lab" }, [record], hosts);

        Assert.Equal("h2 and h1 are already in segment lab; VXLAN reaches every member from every other", same.ErrorFor(TunnelFields.Segment));
        Assert.True(joined.IsValid, string.Join("; ", joined.Draft.Errors));
        Assert.Equal(["h1", "h2", "h3"], joined.Draft.Spec.Members.Select(m => m.Value));
        Assert.Equal(record.Desired.Allocation.Vni, joined.Vni);
    }

    [Fact]
    public void A_vni_or_mtu_core_refuses_shows_on_that_field()
    {
        var hosts = Known(2);
        var other = Applied(Allocate(Vxlan("other", "h1", "h2") with { Bridge = "sbo0", Vni = 500, Router = Gateway("h1", "10.0.9.1/24", "10.0.9.2", "10.0.9.9") }, hosts));

        var vni = TunnelDraftBuilder.Build(Form("h1", "h2") with { Pins = new TunnelPins { Vni = 500 } }, [other], hosts);
        var mtu = TunnelDraftBuilder.Build(Form("h1", "h2") with { Pins = new TunnelPins { Mtu = 1500 } }, [other], hosts);

        Assert.Equal("VNI 500 is already used by segment other", vni.ErrorFor(TunnelFields.Vni));
        Assert.Equal("1500 is outside 576..1450 (the most the underlays carry without fragmenting)", mtu.ErrorFor(TunnelFields.Mtu));
    }

    [Fact]
    public void A_new_segment_name_core_refuses_and_a_suggested_name_skips_taken_ones()
    {
        var hosts = Known(2);
        var lan1 = Pending(Allocate(Vxlan("lan1", "h1", "h2"), hosts));

        var draft = TunnelDraftBuilder.Build(Form("h1", "h2", name: "<b>LAN</b>"), [], hosts);

        Assert.NotNull(draft.ErrorFor(TunnelFields.Name));
        Assert.Equal("lan2", TunnelDraftBuilder.SuggestName([lan1]));
    }

    [Fact]
    public void A_new_segment_routes_the_next_free_subnet()
    {
        var hosts = Known(2);
        var lan1 = Pending(Allocate(Vxlan("lan1", "h1", "h2"), hosts));

        var draft = TunnelDraftBuilder.Build(Form("h1", "h2", name: "lan2") with { Bridge = "sblan2", RouterHost = "h2" }, [lan1], hosts);

        Assert.True(draft.IsValid, string.Join("; ", draft.Draft.Errors));
        Assert.Equal(("h2", "10.0.3.1/24"), (draft.Draft.Spec.Router!.Host.Value, draft.Draft.Spec.Router.Gateway));
    }
}
