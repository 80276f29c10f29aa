using Bunit;
using Superbridge.Operations;
using Superbridge.Ssh.Apply;
using Superbridge.Web.Components.Controls;
using Superbridge.Web.Tests.Topology;
using Superbridge.Web.Tests.Topology.Support;
using static Superbridge.Web.Tests.Topology.ApplyLogModelTests;

namespace Superbridge.Web.Tests.Components.Controls;

public sealed class ApplyResultViewTests : TopologyTestContext
{
    [Fact]
    public void A_rollback_shows_a_red_banner_the_failed_command_its_error_and_every_undone_step()
    {
        var failure = new ApplyFailure("h2", "link:sbx-lan1-0", "creating sbx-lan1-0 on h2 failed", "RTNETLINK answers: File exists",
            new KernelErrorExplanation("a device with this name already exists", "RTNETLINK answers: File exists"));
        var result = Result(ApplyStatus.RolledBack, failure) with
        {
            Hosts =
            [
                new HostApplyResult("h1", [Step("h1", 0, "br", StepOutcome.Succeeded), Step("h1", 1, "vx", StepOutcome.Succeeded)],
                    [Undo("h1", "vx"), Undo("h1", "br")]),
                new HostApplyResult("h2", [Step("h2", 0, "link:sbx-lan1-0", StepOutcome.Failed, exit: 2, stderr: "RTNETLINK answers: File exists")], []),
            ],
        };
        RenderProviders();

        var view = Render<ApplyResultView>(p => p.Add(x => x.Result, result));

        Assert.Equal("rolled-back", view.Find("[data-result]").GetAttribute("data-result"));
        Assert.Contains("Rolled back", view.Find("[data-banner]").TextContent);
        Assert.Contains("mud-alert-filled-error", view.Find("[data-banner]").ClassName);
        Assert.Contains("Failed on h2: create link:sbx-lan1-0", view.Find("[data-failure]").TextContent);
        Assert.Equal("ip link add link:sbx-lan1-0", view.Find("[data-failed-command]").TextContent);
        Assert.Equal("2", view.Find("[data-failure] [data-exit-code]").GetAttribute("data-exit-code"));
        Assert.Equal("RTNETLINK answers: File exists", view.Find("[data-error]").TextContent);
        Assert.Equal("a device with this name already exists", view.Find("[data-kernel]").TextContent);
        Assert.Equal(["h1 · create vx", "h1 · create br"], view.FindAll("[data-undone]").Select(u => u.TextContent.Trim()));
    }

    [Fact]
    public void A_failed_undo_says_the_hosts_are_left_partly_changed()
    {
        var failure = new ApplyFailure("h2", "vx", "creating vx failed", "boom");
        var undo = new UndoResult("h1", "br", "create br", UndoOutcome.Failed,
            new CommandRun(Core.Commands.Command.Of("ip", "link", "del", "br"), 1, "", "Cannot find device \"br\"\n", DateTimeOffset.UnixEpoch, TimeSpan.Zero));
        var result = Result(ApplyStatus.Failed, failure) with { Hosts = [new HostApplyResult("h1", [Step("h1", 0, "br", StepOutcome.Succeeded)], [undo])] };
        RenderProviders();

        var view = Render<ApplyResultView>(p => p.Add(x => x.Result, result));

        Assert.Contains("Failed — hosts left partly changed", view.Find("[data-banner]").TextContent);
        Assert.Contains("undo failed: Cannot find device \"br\"", view.Find("[data-undone=Failed]").TextContent);
    }

    [Fact]
    public void Success_counts_changed_and_skipped_steps_and_warns_about_drift()
    {
        var result = Result(ApplyStatus.Succeeded) with
        {
            Hosts = [new HostApplyResult("h1", [Step("h1", 0, "br", StepOutcome.Succeeded), Step("h1", 1, "vx", StepOutcome.Skipped)], [])],
        };
        RenderProviders();

        var view = Render<ApplyResultView>(p => p.Add(x => x.Result, result).Add(x => x.Drift, ["h1 superbr0: mtu 1500, want 1450"]));

        Assert.Equal("Apply succeeded: 1 changed, 1 already in place in 2.0 s", view.Find("[data-banner]").TextContent.Trim());
        Assert.Contains("h1 superbr0: mtu 1500, want 1450", view.Find("[data-drift]").TextContent);
    }
}
