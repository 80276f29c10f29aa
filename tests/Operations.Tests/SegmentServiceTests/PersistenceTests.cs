using Superbridge.Core.Commands;
using Superbridge.Core.Model;
using Superbridge.Operations.Tests.Support;

namespace Superbridge.Operations.Tests.SegmentServiceTests;

/// <summary>On systemd hosts an apply leaves the segment's boot files and unit behind, a re-apply keeps them, a teardown takes them.</summary>
public sealed class PersistenceTests
{
    [Fact]
    public async Task Apply_installs_the_boot_files_re_apply_changes_nothing_and_teardown_removes_them()
    {
        await using var h = new ServiceHarness();
        h.Observer["h1"].Systemd = true;
        h.Observer["h2"].Systemd = true;
        await h.CreateAsync(ServiceHarness.Spec("lan", Transport.Vxlan, "h1", "h2") with { Router = ServiceHarness.Router("h1", 2) });

        var applied = await h.ApplyAsync("lan");

        Assert.Equal(OperationStatus.Succeeded, applied.Status);
        Assert.True(applied.Result!.Drift.IsEmpty, string.Join("; ", applied.Result.Drift));
        Assert.Equal(
            [BootCommands.ApplyProgramPath("lan"), BootCommands.UndoProgramPath("lan"), BootCommands.SysctlPath("lan"), BootCommands.UnitPath("lan")],
            h.Observer["h1"].Files.Keys.Order(StringComparer.Ordinal));
        Assert.DoesNotContain(BootCommands.SysctlPath("lan"), h.Observer["h2"].Files.Keys);
        Assert.Equal(["superbridge-lan.service"], h.Observer["h2"].EnabledUnits);

        var again = await h.ApplyAsync("lan");
        Assert.Equal(OperationStatus.Succeeded, again.Status);
        Assert.Equal(0, again.Result!.Plan!.StepCount);

        var down = await h.TeardownAsync("lan");
        Assert.Equal(OperationStatus.Succeeded, down.Status);
        Assert.Empty(h.Observer["h1"].Files);
        Assert.Empty(h.Observer["h2"].EnabledUnits);
    }

    [Fact]
    public async Task A_preview_names_the_hosts_that_will_not_keep_the_segment_across_a_reboot()
    {
        await using var h = new ServiceHarness();
        h.Observer["h1"].Systemd = true;
        await h.CreateAsync(ServiceHarness.Spec("lan", Transport.Gretap, "h1", "h2"));

        var preview = await h.Service.PreviewAsync("lan", SegmentOperationKind.Apply, ServiceHarness.User);

        var host = Assert.Single(preview.Value!.Plan.NotPersistent);
        Assert.Equal("h2", host.Host.Value);
        Assert.Equal("PID 1 is not systemd", host.Reason);
    }
}
