using Superbridge.Core.Support;
using Superbridge.Core.Allocation;
using Superbridge.Core.Commands;
using Superbridge.Core.Model;
using Superbridge.Core.Planning;
using Superbridge.Core.Tests.Support;

namespace Superbridge.Core.Tests.Planning;

/// <summary>What changed behind our back is reported per host and device.</summary>
public class DriftTests
{
    private static (Segment Segment, Dictionary<HostId, HostInfo> Hosts, Dictionary<string, FakeHost> Fakes) Applied(Transport transport)
    {
        var hosts = Given.Hosts(2);
        var fakes = new Dictionary<string, FakeHost> { ["h1"] = new("h1"), ["h2"] = new("h2") };
        var segment = SegmentAllocator.Allocate(Given.Segment(transport), hosts, [], FakeExecutor.Observe(fakes)).Value;
        FakeExecutor.Apply(SegmentPlanner.Plan(segment, hosts, FakeExecutor.Observe(fakes)).Value, fakes);
        return (segment, hosts, fakes);
    }

    private static Drift SingleDrift(Segment segment, Dictionary<HostId, HostInfo> hosts, Dictionary<string, FakeHost> fakes) =>
        Assert.Single(SegmentPlanner.Plan(segment, hosts, FakeExecutor.Observe(fakes)).Value.Drift);

    [Fact]
    public void A_gretap_device_with_a_wrong_remote_is_reported_and_not_silently_kept()
    {
        var (segment, hosts, fakes) = Applied(Transport.Gretap);
        fakes["h2"].Run(Command.Of("ip", "link", "del", "dev", "sbg-lan-0"));
        fakes["h2"].Run(Command.Of("ip", "link", "add", "sbg-lan-0", "type", "gretap", "local", "2.2.2.2", "remote", "9.9.9.9", "ttl", "255", "key", "1"));
        var drift = Assert.Single(SegmentPlanner.Plan(segment, hosts, FakeExecutor.Observe(fakes)).Value.Drift, d => d.Detail.Contains("remote"));
        Assert.Equal(("h2", "sbg-lan-0", DriftKind.Mismatch), (drift.Host.Value, drift.Device, drift.Kind));
        Assert.Equal("remote 9.9.9.9, expected 1.1.1.1", drift.Detail);
    }

    [Fact]
    public void A_vxlan_device_with_a_wrong_vni_is_reported()
    {
        var (segment, hosts, fakes) = Applied(Transport.Vxlan);
        fakes["h1"].Run(Command.Of("ip", "link", "del", "dev", "sbx-lan-0"));
        fakes["h1"].Run(Command.Of("ip", "link", "add", "sbx-lan-0", "type", "vxlan", "id", "77", "local", "1.1.1.1", "dstport", "4789"));
        var drift = SegmentPlanner.Plan(segment, hosts, FakeExecutor.Observe(fakes)).Value.Drift;
        Assert.Contains(drift, d => d.Host == "h1" && d.Device == "sbx-lan-0" && d.Detail == "VNI 77, expected 1");
    }

    [Fact]
    public void A_wrong_mtu_is_reported_and_fixed()
    {
        var (segment, hosts, fakes) = Applied(Transport.Vxlan);
        fakes["h2"].Run(Command.Of("ip", "link", "set", "dev", "sbx-lan-0", "mtu", "1500"));
        var plan = SegmentPlanner.Plan(segment, hosts, FakeExecutor.Observe(fakes)).Value;
        var drift = Assert.Single(plan.Drift);
        Assert.Equal(("h2", "sbx-lan-0", "mtu 1500, expected 1450"), (drift.Host.Value, drift.Device, drift.Detail));
        Assert.Equal(["mtu:sbx-lan-0"], plan.Hosts.SelectMany(h => h.Steps).Select(s => s.Id));
    }

    [Fact]
    public void A_missing_bridge_port_is_reported_and_re_added()
    {
        var (segment, hosts, fakes) = Applied(Transport.L2tpv3Udp);
        fakes["h1"].Run(Command.Of("ip", "link", "set", "dev", "sbl-lan-0", "nomaster"));
        var plan = SegmentPlanner.Plan(segment, hosts, FakeExecutor.Observe(fakes)).Value;
        var drift = Assert.Single(plan.Drift);
        Assert.Equal(("h1", "sbl-lan-0", DriftKind.Missing, "not a port of superbr0"), (drift.Host.Value, drift.Device, drift.Kind, drift.Detail));
        Assert.Equal(["master:sbl-lan-0"], plan.Hosts.SelectMany(h => h.Steps).Select(s => s.Id));
    }

    [Fact]
    public void A_missing_dnsmasq_is_reported_and_restarted()
    {
        var (segment, hosts, fakes) = Applied(Transport.Gretap);
        fakes["h1"].Run(DnsmasqCommands.Stop("superbr0"));
        var plan = SegmentPlanner.Plan(segment, hosts, FakeExecutor.Observe(fakes)).Value;
        Assert.Contains(plan.Drift, d => d.Host == "h1" && d.Device == "dnsmasq superbr0" && d.Kind == DriftKind.Missing);
        Assert.Contains(plan.Hosts.SelectMany(h => h.Steps), s => s.Id == "dnsmasq:superbr0");
    }

    [Fact]
    public void A_missing_flood_entry_is_reported()
    {
        var (segment, hosts, fakes) = Applied(Transport.Vxlan);
        fakes["h1"].Run(LinuxCommands.FdbDelete("sbx-lan-0", "2.2.2.2"));
        var drift = SingleDrift(segment, hosts, fakes);
        Assert.Equal(("h1", "sbx-lan-0", "no flood entry to 2.2.2.2"), (drift.Host.Value, drift.Device, drift.Detail));
    }

    [Fact]
    public void A_changed_l2tp_tunnel_is_reported()
    {
        var (segment, hosts, fakes) = Applied(Transport.L2tpv3Udp);
        var h2 = fakes["h2"];
        h2.Run(Command.Of("ip", "l2tp", "del", "session", "tunnel_id", "1", "session_id", "1"));
        h2.Run(Command.Of("ip", "l2tp", "del", "tunnel", "tunnel_id", "1"));
        h2.Run(Command.Of("ip", "l2tp", "add", "tunnel", "tunnel_id", "1", "peer_tunnel_id", "1", "encap", "udp", "local", "2.2.2.2", "remote", "2.2.2.2", "udp_sport", "1701", "udp_port", "1701"));
        var drift = SegmentPlanner.Plan(segment, hosts, FakeExecutor.Observe(fakes)).Value.Drift;
        Assert.Contains(drift, d => d.Host == "h2" && d.Detail.Contains("remote 2.2.2.2, expected 1.1.1.1"));
    }

    [Fact]
    public void Nothing_is_drift_on_a_host_where_the_segment_was_never_applied()
    {
        var hosts = Given.Hosts(2);
        var segment = Given.Allocated(Given.Segment(Transport.Gretap), hosts);
        var plan = SegmentPlanner.Plan(segment, hosts, Given.ObservedAll(2)).Value;
        Assert.Empty(plan.Drift);
        Assert.True(plan.StepCount > 0);
        // DetectDrift, asked about an applied segment, lists everything missing.
        Assert.Contains(SegmentPlanner.DetectDrift(segment, hosts, Given.ObservedAll(2)).Value, d => d.Kind == DriftKind.Missing && d.Device == "superbr0");
    }
}
