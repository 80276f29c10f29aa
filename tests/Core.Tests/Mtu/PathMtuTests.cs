using Superbridge.Core.Model;
using Superbridge.Core.Mtu;
using Superbridge.Core.Planning;
using Superbridge.Core.Tests.Support;

namespace Superbridge.Core.Tests.Mtu;

public class PathMtuTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 2, 16, 0, 0, TimeSpan.Zero);

    /// <summary>Every path of the segment measured at <paramref name="mtu"/>, except those listed in <paramref name="special"/>.</summary>
    private static List<MeasuredPath> Measured(SegmentSpec spec, IReadOnlyDictionary<HostId, HostInfo> hosts, int? mtu,
        params (string From, string To, int? Mtu)[] special) =>
        [.. UnderlayPaths.Of(spec, hosts).Select(p =>
            special.FirstOrDefault(s => s.From == p.From.Value && s.To == p.To.Value) is { From: not null } s
                ? new MeasuredPath(p, s.Mtu, s.Mtu is null ? "every don't-fragment probe was dropped" : null, At)
                : new MeasuredPath(p, mtu, null, At))];

    [Fact]
    public void Vxlan_measures_every_member_pair_both_ways_and_point_to_point_only_its_links()
    {
        var hosts = Given.Hosts(3);
        var vxlan = UnderlayPaths.Of(Given.Segment(Transport.Vxlan, 3), hosts);
        Assert.Equal(["h1>h2", "h2>h1", "h1>h3", "h3>h1", "h2>h3", "h3>h2"], vxlan.Select(p => $"{p.From}>{p.To}"));
        var chain = UnderlayPaths.Of(Given.Segment(Transport.Gretap, 3), hosts);
        Assert.Equal(["h1>h2", "h2>h1", "h2>h3", "h3>h2"], chain.Select(p => $"{p.From}>{p.To}"));
        Assert.Equal(new UnderlayPath("h1", "h2", "1.1.1.1", "2.2.2.2", 1500), chain[0]);
    }

    [Fact]
    public void The_smallest_measured_path_sets_the_segment_mtu_everywhere_and_the_plan_lists_every_path()
    {
        var hosts = Given.Hosts(3);
        var spec = Given.Segment(Transport.Vxlan, 3);
        var paths = Measured(spec, hosts, 1500, ("h2", "h3", 1460), ("h3", "h1", 1400));
        var plan = SegmentPlanner.Plan(Given.Allocated(spec, hosts), hosts, paths: paths).Value;
        Assert.Equal(1350, plan.Mtu);
        var mtuSteps = plan.Hosts.SelectMany(h => h.Steps).Where(s => s.Id.StartsWith("mtu:")).ToList();
        Assert.Equal(6, mtuSteps.Count);
        Assert.All(mtuSteps, s => Assert.Equal("1350", s.Do.Argv[^1]));
        Assert.Equal(paths, plan.Paths);
        Assert.Equal(At, plan.PathsMeasuredAt);
        Assert.Empty(plan.Warnings);
    }

    [Fact]
    public void A_path_that_drops_every_probe_is_planned_at_the_interface_mtu_with_a_warning()
    {
        var hosts = Given.Hosts(2);
        var spec = Given.Segment(Transport.Vxlan, 2);
        var paths = Measured(spec, hosts, 1500, ("h1", "h2", null));
        var plan = SegmentPlanner.Plan(Given.Allocated(spec, hosts), hosts, paths: paths).Value;
        Assert.Equal(1450, plan.Mtu);
        var warning = Assert.Single(plan.Warnings);
        Assert.Equal("path h1 → h2 (1.1.1.1 → 2.2.2.2): every don't-fragment probe was dropped; planned at the interface MTU 1500, large frames may be lost", warning);
    }

    [Theory]
    [InlineData(Transport.Gretap, "1.1.1.1", "2.2.2.2", 1358)]
    [InlineData(Transport.Vxlan, "1.1.1.1", "2.2.2.2", 1350)]
    [InlineData(Transport.L2tpv3Udp, "1.1.1.1", "2.2.2.2", 1346)]
    [InlineData(Transport.L2tpv3Ip, "1.1.1.1", "2.2.2.2", 1358)]
    [InlineData(Transport.Vxlan, "2001:db8::1", "2001:db8::2", 1330)]
    [InlineData(Transport.Gretap, "2001:db8::1", "2001:db8::2", 1338)]
    public void The_tunnel_overhead_is_subtracted_from_the_measured_path(Transport transport, string a, string b, int expected)
    {
        var hosts = Given.Hosts(Given.Host(1, a), Given.Host(2, b));
        var spec = Given.Segment(transport, 2);
        Assert.Equal(expected, SegmentMtu.Maximum(spec, hosts, Measured(spec, hosts, 1400)));
    }

    [Fact]
    public void A_smaller_interface_still_wins_over_a_larger_measured_path_and_unmeasured_hosts_keep_their_interface_figure()
    {
        var hosts = Given.Hosts(Given.Host(1), Given.Host(2) with { UnderlayMtu = 9000 }, Given.Host(3) with { UnderlayMtu = 9000 });
        var spec = Given.Segment(Transport.Vxlan, 3);
        var jumbo = Measured(spec, hosts, 8950).Where(p => p.Path.From != "h1" && p.Path.To != "h1").ToList();
        Assert.Equal(1450, SegmentMtu.Maximum(spec, hosts, jumbo));
        var twoHosts = Given.Hosts(Given.Host(1) with { UnderlayMtu = 9000 }, Given.Host(2) with { UnderlayMtu = 9000 });
        var pair = Given.Segment(Transport.Vxlan, 2);
        Assert.Equal(8900, SegmentMtu.Maximum(pair, twoHosts, Measured(pair, twoHosts, 8950)));
    }

    [Fact]
    public void A_measurement_between_other_addresses_is_not_one_of_the_segments_paths()
    {
        var hosts = Given.Hosts(2);
        var spec = Given.Segment(Transport.Vxlan, 2);
        var moved = Given.Hosts(Given.Host(1), Given.Host(2, "9.9.9.9"));
        var plan = SegmentPlanner.Plan(Given.Allocated(spec, moved), moved, paths: Measured(spec, hosts, 1200)).Value;
        Assert.Equal(1450, plan.Mtu);
        Assert.Empty(plan.Paths);
    }

    [Fact]
    public void An_mtu_override_above_the_measured_paths_is_kept_and_warned_about()
    {
        var hosts = Given.Hosts(2);
        var spec = Given.Segment(Transport.Gretap) with { Mtu = 1450 };
        var plan = SegmentPlanner.Plan(Given.Allocated(spec, hosts), hosts, paths: Measured(spec, hosts, 1400)).Value;
        Assert.Equal(1450, plan.Mtu);
        Assert.Equal("the MTU 1450 set for the segment is above the 1358 its measured paths carry: larger frames are lost", Assert.Single(plan.Warnings));
    }

    [Fact]
    public void A_change_sets_the_measured_mtu_on_devices_the_old_version_sized_from_the_interface()
    {
        var hosts = Given.Hosts(2);
        var from = Given.Allocated(Given.Segment(Transport.Vxlan, 2), hosts);
        var to = Given.Allocated(from.Spec with { Stp = true }, hosts, [from]);
        var plan = SegmentPlanner.PlanChange(from, to, hosts, paths: Measured(to.Spec, hosts, 1400)).Value;
        Assert.Equal(1350, plan.Mtu);
        Assert.Contains(plan.Hosts[0].Steps, s => s.Id == "mtu:superbr0" && s.Do.Argv[^1] == "1350");
    }
}
