using Superbridge.Core.Model;
using Superbridge.Core.Observed;
using Superbridge.Operations.Tests.Support;

namespace Superbridge.Operations.Tests.SegmentServiceTests;

/// <summary>Preflight and planning say no: the operation ends refused with the reason, and nothing runs on any host.</summary>
public sealed class RefusalTests
{
    private static async Task<OperationRecord> RefusedAsync(ServiceHarness h)
    {
        var ended = await h.ApplyAsync("lan");
        Assert.Equal(OperationStatus.Refused, ended.Status);
        Assert.Equal(ApplyStatus.Refused, ended.Result!.Status);
        Assert.False(ended.Result.PlanChanged);
        Assert.Empty(h.Executor.Calls);
        var record = await h.RecordAsync("lan");
        Assert.Null(record.Applied);
        Assert.Null(record.Attempted);
        Assert.Equal([OperationStatus.Queued, OperationStatus.Running, OperationStatus.Refused], h.HistoryOf(ended.Id).Distinct());
        return ended;
    }

    [Fact]
    public async Task An_unreachable_host_at_apply_is_refused_naming_the_host()
    {
        await using var h = new ServiceHarness();
        await h.CreateAsync(ServiceHarness.Spec("lan", Transport.Gretap, "h1", "h2", "h3"));
        h.Observer.MakeUnreachable("h2");

        var ended = await RefusedAsync(h);

        var problem = Assert.Single(ended.Result!.Problems);
        Assert.Equal((HostId)"h2", problem.Host);
        Assert.Contains("h2", ended.Error);
        Assert.Null(ended.Plan);
        Assert.Single(h.Observer.CallsFor(ended.Id)); // no verify after a refusal
    }

    [Fact]
    public async Task A_missing_kernel_feature_is_refused_naming_the_host_and_the_module()
    {
        await using var h = new ServiceHarness();
        await h.CreateAsync(ServiceHarness.Spec("lan", Transport.Gretap, "h1", "h2", "h3"));
        h.Observer["h3"].Features = new KernelFeatures(Gretap: false, L2tpv3: true, L2tpIp: true, Vxlan: true, Bridge: true, Lxc: true);

        var ended = await RefusedAsync(h);

        var problem = Assert.Single(ended.Result!.Problems);
        Assert.Equal((HostId)"h3", problem.Host);
        Assert.Contains("ip_gre", problem.Message);
    }

    [Fact]
    public async Task A_plan_the_planner_rejects_is_refused()
    {
        await using var h = new ServiceHarness();
        h.Observer.Add(4, "0", new ObservedContainer { Name = "web", State = "RUNNING", ConfiguredLink = "lxcbr0" });
        var spec = ServiceHarness.Spec("lan", Transport.Vxlan, "h1", "h4") with { Attachments = [new AttachmentSpec("h4", "web")] };
        await h.CreateAsync(spec);
        h.Observer["h4"].RemoveContainer("web"); // the container went away: the segment cannot be planned

        var ended = await RefusedAsync(h);

        Assert.Contains(ended.Result!.Problems, p => p.Message.Contains("cannot be planned") && p.Message.Contains("web"));
    }

    [Fact]
    public async Task A_name_taken_on_a_host_by_a_foreign_device_is_refused_with_the_plan()
    {
        await using var h = new ServiceHarness();
        await h.CreateAsync(ServiceHarness.Spec("lan", Transport.Vxlan, "h1", "h2"));
        // After creating, someone made a vxlan device named like our bridge on h2.
        h.Observer["h2"].Run(Superbridge.Core.Commands.Command.Of("ip", "link", "add", "br-lan", "type", "vxlan", "id", "77", "local", "2.2.2.2", "dstport", "4789"));

        var ended = await RefusedAsync(h);

        Assert.Contains(ended.Result!.Problems, p => p.Host == "h2" && p.Message.Contains("br-lan"));
        Assert.NotNull(ended.Result.Plan); // refused after planning: the plan that would have run is shown
        Assert.NotNull(ended.PlanFingerprint);
    }

    [Fact]
    public async Task An_apply_of_an_unknown_segment_is_not_found_and_nothing_is_stored()
    {
        await using var h = new ServiceHarness();

        var started = await h.Service.StartApplyAsync("nope", ServiceHarness.User);

        Assert.True(started.NotFound);
        Assert.Empty(h.Journal.History);
    }
}
