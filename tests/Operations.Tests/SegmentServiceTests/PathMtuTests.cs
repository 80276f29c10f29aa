using Superbridge.Core.Model;
using Superbridge.Operations.Tests.Support;

namespace Superbridge.Operations.Tests.SegmentServiceTests;

/// <summary>An apply's MTU follows the measured underlay paths; the measurement is remembered so the preview is what runs.</summary>
public sealed class PathMtuTests
{
    private static SegmentSpec Lan => ServiceHarness.Spec("lan", Transport.Vxlan, "h1", "h2", "h3");

    [Fact]
    public async Task The_preview_and_the_apply_after_it_plan_from_one_measurement_of_every_pair_and_the_mtu_follows_the_smallest()
    {
        await using var h = new ServiceHarness();
        h.Observer[new HostId("h3")].SetPath("2.2.2.2", 1400);
        await h.CreateAsync(Lan);

        var preview = (await h.Service.PreviewAsync("lan", SegmentOperationKind.Apply, ServiceHarness.User)).Value!;
        Assert.Equal(1350, preview.Plan.Mtu);
        Assert.Equal(6, preview.Plan.Paths.Length);
        Assert.Equal(1400, preview.Plan.Paths.Single(p => p.Path.From == "h3" && p.Path.To == "h2").Mtu);
        Assert.Equal(h.PathClock.GetUtcNow(), preview.Plan.PathsMeasuredAt);

        var ended = await h.ApplyAsync("lan", preview.Fingerprint);

        Assert.Equal(OperationStatus.Succeeded, ended.Status);
        Assert.Equal(preview.Fingerprint, ended.PlanFingerprint);
        Assert.True(ended.Result!.Drift.IsEmpty, string.Join("; ", ended.Result.Drift));
        Assert.Equal(1350, h.Observer[new HostId("h1")].Observe().Links.Single(l => l.Name == "br-lan").Mtu);
        var probed = Assert.Single(h.Prober.Calls);
        Assert.Equal(6, probed.Length);
    }

    [Fact]
    public async Task Replanning_within_the_lifetime_does_not_probe_again_and_after_it_does()
    {
        await using var h = new ServiceHarness();
        await h.CreateAsync(Lan);
        await h.Service.PreviewAsync("lan", SegmentOperationKind.Apply, ServiceHarness.User);
        h.PathClock.Advance(h.PathMtus.Lifetime - TimeSpan.FromSeconds(1));
        await h.Service.PreviewAsync("lan", SegmentOperationKind.Apply, ServiceHarness.User);
        Assert.Single(h.Prober.Calls);

        h.PathClock.Advance(TimeSpan.FromSeconds(2));
        var again = (await h.Service.PreviewAsync("lan", SegmentOperationKind.Apply, ServiceHarness.User)).Value!;
        Assert.Equal(2, h.Prober.Calls.Count);
        Assert.Equal(h.PathClock.GetUtcNow(), again.Plan.PathsMeasuredAt);
    }

    [Fact]
    public async Task A_path_that_drops_every_probe_is_applied_at_the_interface_mtu_and_the_plan_warns()
    {
        await using var h = new ServiceHarness();
        h.Observer[new HostId("h1")].SetPath("2.2.2.2", null);
        await h.CreateAsync(Lan);

        var ended = await h.ApplyAsync("lan");

        Assert.Equal(OperationStatus.Succeeded, ended.Status);
        Assert.Equal(1450, ended.Plan!.Mtu);
        var warning = Assert.Single(ended.Plan.Warnings);
        Assert.StartsWith("path h1 → h2 (1.1.1.1 → 2.2.2.2): every don't-fragment probe was dropped", warning);
    }

    [Fact]
    public async Task A_teardown_measures_nothing()
    {
        await using var h = new ServiceHarness();
        await h.CreateAsync(Lan);
        await h.ApplyAsync("lan");
        var probes = h.Prober.Calls.Count;

        var ended = await h.TeardownAsync("lan");

        Assert.Equal(OperationStatus.Succeeded, ended.Status);
        Assert.Equal(probes, h.Prober.Calls.Count);
        Assert.Empty(ended.Plan!.Paths);
    }
}
