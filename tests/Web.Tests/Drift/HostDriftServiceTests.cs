using Superbridge.Operations;
using Superbridge.Core.Mtu;
using Superbridge.Core.Planning;
using Superbridge.Ssh;
using Superbridge.Web.Drift;
using Superbridge.Web.Inventory;
using Superbridge.Web.Segments;
using static Superbridge.Web.Tests.Drift.DriftFixtures;
using static Superbridge.Web.Tests.Topology.TopologyFixtures;

namespace Superbridge.Web.Tests.Drift;

public sealed class HostDriftServiceTests
{
    [Fact]
    public void A_host_whose_inventory_has_everything_applied_is_in_sync()
    {
        var hosts = LabHosts();
        var segment = CapturedSegment(hosts);

        var report = HostDriftService.Report("h1", [Applied(segment)], hosts);

        Assert.Equal(InventoryTrust.Observed, report.Observation);
        Assert.Null(report.Reason);
        var only = Assert.Single(report.Segments);
        Assert.Equal(("sbinv", SegmentDriftState.InSync), (only.Segment, only.State));
        Assert.Empty(only.Items);
        Assert.False(report.HasDrift);
    }

    [Fact]
    public void A_tunnel_missing_from_the_inventory_is_reported_with_its_name_and_each_missing_step()
    {
        var hosts = LabHosts();
        var segment = CapturedSegment(hosts, deviceOnH1: "sbx-sbinv-0");

        var report = HostDriftService.Report("h1", [Applied(segment)], hosts);

        var only = Assert.Single(report.Segments);
        Assert.Equal(SegmentDriftState.Drifted, only.State);
        Assert.All(only.Items, d => Assert.Equal(("h1", "sbx-sbinv-0", DriftKind.Missing), (d.Host.Value, d.Device, d.Kind)));
        Assert.Equal(
        [
            "missing: Create VXLAN sbx-sbinv-0 (VNI 4242)",
            "missing: Set MTU 1450 on sbx-sbinv-0",
            "missing: Add sbx-sbinv-0 to bridge sbinv-br0",
            "missing: Flood sbx-sbinv-0 to 198.51.100.2",
            "missing: Flood sbx-sbinv-0 to 198.51.100.3",
            "missing: Bring sbx-sbinv-0 up",
        ], only.Items.Select(d => d.Detail));
        Assert.True(report.HasDrift);
    }

    [Fact]
    public void The_devices_mtu_is_compared_with_the_figure_the_last_measured_paths_give()
    {
        var hosts = LabHosts();
        var segment = CapturedSegment(hosts);
        System.Collections.Immutable.ImmutableArray<MeasuredPath> Measured(int mtu) => [.. UnderlayPaths.Of(segment.Spec, hosts.Infos())
            .Select(p => new MeasuredPath(p, mtu, null, new DateTimeOffset(2026, 12, 2, 16, 0, 0, TimeSpan.Zero)))];

        var asApplied = HostDriftService.Report("h1", [Applied(segment)], hosts with { Paths = Measured(1500) });
        var narrower = HostDriftService.Report("h1", [Applied(segment)], hosts with { Paths = Measured(1400) });

        Assert.Equal(SegmentDriftState.InSync, Assert.Single(asApplied.Segments).State);
        var drift = Assert.Single(narrower.Segments);
        Assert.Equal(SegmentDriftState.Drifted, drift.State);
        Assert.Equal(["sbinv-br0: mtu 1450, expected 1350", "sbinv-vx0: mtu 1450, expected 1350"], drift.Items.Select(d => $"{d.Device}: {d.Detail}"));
    }

    [Fact]
    public void A_missing_bridge_is_reported_by_the_bridge_name()
    {
        var hosts = LabHosts();
        var segment = CapturedSegment(hosts);
        segment = segment with { Spec = segment.Spec with { Bridge = "superbr0" } };

        var report = HostDriftService.Report("h1", [Applied(segment)], hosts);

        Assert.Contains(report.Segments[0].Items, d => d.Device == "superbr0" && d.Kind == DriftKind.Missing);
    }

    [Fact]
    public void An_offline_host_is_not_claimed_in_sync_even_with_its_last_inventory()
    {
        var last = Online("h1") with { State = HostState.Offline, Reason = SshFailureReason.Timeout, Message = "No inventory within 20 s." };
        var hosts = LabHosts(last);

        var report = HostDriftService.Report("h1", [Applied(CapturedSegment(hosts))], hosts);

        Assert.Equal(InventoryTrust.Offline, report.Observation);
        Assert.Equal("The host is offline (timed out), so its drift is unknown.", report.Reason);
        Assert.Equal(SegmentDriftState.NotChecked, Assert.Single(report.Segments).State);
    }

    [Fact]
    public void A_host_never_inventoried_is_unknown()
    {
        var hosts = Known(3);

        var report = HostDriftService.Report("h1", [Applied(CapturedSegment(LabHosts()))], hosts);

        Assert.Equal(InventoryTrust.Unknown, report.Observation);
        Assert.Equal(SegmentDriftState.NotChecked, Assert.Single(report.Segments).State);
    }

    [Fact]
    public void Only_applied_segments_with_this_host_as_a_member_are_compared()
    {
        var hosts = LabHosts();
        var captured = CapturedSegment(hosts);
        var elsewhere = Allocate(Vxlan("other", "h2", "h3"), hosts);
        var neverApplied = Allocate(Vxlan("draft", "h1", "h2"), hosts, captured);

        var report = HostDriftService.Report("h1", [Applied(elsewhere), Pending(neverApplied), Applied(captured)], hosts);

        Assert.Equal(["sbinv"], report.Segments.Select(s => s.Segment));
    }

    [Fact]
    public void What_was_applied_is_compared_not_what_is_wanted_now()
    {
        var hosts = LabHosts();
        var applied = CapturedSegment(hosts);
        var wanted = applied with { Spec = applied.Spec with { Bridge = "superbr0" } };

        var report = HostDriftService.Report("h1", [new SegmentRecord(wanted, applied)], hosts);

        Assert.Equal(SegmentDriftState.InSync, Assert.Single(report.Segments).State);
    }

    [Fact]
    public void A_segment_is_drifted_when_an_observed_member_lacks_what_was_applied_and_not_when_no_member_was_read()
    {
        var hosts = LabHosts();

        Assert.False(HostDriftService.Drifted(Applied(CapturedSegment(hosts)), hosts));
        Assert.True(HostDriftService.Drifted(Applied(CapturedSegment(hosts, deviceOnH1: "sbx-sbinv-0")), hosts));
        Assert.False(HostDriftService.Drifted(Applied(CapturedSegment(hosts, deviceOnH1: "sbx-sbinv-0")), Known(3)));
        Assert.False(HostDriftService.Drifted(Pending(CapturedSegment(hosts, deviceOnH1: "sbx-sbinv-0")), hosts));
    }
}
