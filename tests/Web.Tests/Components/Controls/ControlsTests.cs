using System.Collections.Immutable;
using Bunit;
using Superbridge.Core.Commands;
using Superbridge.Core.Planning;
using Superbridge.Core.Programs;
using Superbridge.Ssh;
using Superbridge.Ssh.Inventory;
using Superbridge.Web.Audit;
using Superbridge.Web.Components.Controls;
using Superbridge.Web.Inventory;
using Superbridge.Web.Tests.Components.Support;

namespace Superbridge.Web.Tests.Components.Controls;

public sealed class ControlsTests : DashboardTestContext
{
    [Fact]
    public void An_offline_host_shows_the_reason_as_a_chip_and_the_message_as_its_tooltip()
    {
        RenderProviders();
        var status = new HostStatus { HostId = "h1", State = HostState.Offline, Reason = SshFailureReason.Refused, Message = "Connection to 198.51.100.9:22 refused." };

        var chip = Render<HostStatusChip>(p => p.Add(x => x.Status, status));

        Assert.Equal("offline", chip.Find("[data-status]").GetAttribute("data-status"));
        Assert.Contains("mud-chip-color-error", chip.Find("[data-status]").ClassName);
        Assert.Equal("connection refused", chip.Find("[data-reason]").TextContent.Trim());
        Assert.Empty(chip.FindAll(".sb-refreshing"));
    }

    [Theory]
    [InlineData(HostState.Online, "online", "mud-chip-color-success")]
    [InlineData(HostState.Unknown, "unknown", "mud-chip-outlined")]
    public void Online_and_unknown_have_their_own_chips(HostState state, string name, string cssClass)
    {
        var chip = Render<HostStatusChip>(p => p.Add(x => x.Status, new HostStatus { HostId = "h1", State = state, IsRefreshing = true }));

        Assert.Equal(name, chip.Find("[data-status]").GetAttribute("data-status"));
        Assert.Contains(cssClass, chip.Find("[data-status]").ClassName);
        Assert.NotNull(chip.Find(".sb-refreshing"));
    }

    [Fact]
    public void Features_are_green_when_present_and_grey_when_not()
    {
        var chips = Render<FeatureChips>(p => p.Add(x => x.Features, new InventoryFeatures(Gretap: true, L2tpv3: false, Vxlan: true, Lxc: false)));

        var byName = chips.FindAll("[data-feature]").ToDictionary(c => c.GetAttribute("data-feature")!, c => c.ClassName!);
        Assert.Contains("mud-chip-color-success", byName["gretap"]);
        Assert.DoesNotContain("mud-chip-color-success", byName["L2TPv3"]);
        Assert.Contains("mud-chip-color-success", byName["VXLAN"]);
        Assert.DoesNotContain("mud-chip-color-success", byName["LXC"]);
    }

    [Theory]
    [InlineData("succeeded", "mud-chip-color-success")]
    [InlineData("failed", "mud-chip-color-error")]
    [InlineData("rolled-back", "mud-chip-color-warning")]
    [InlineData("running", "mud-chip-color-info")]
    public void Operation_status_chips_are_colored_by_outcome(string status, string cssClass)
    {
        var chip = Render<OperationStatusChip>(p => p.Add(x => x.Status, status));

        Assert.Contains(cssClass, chip.Find("[data-operation-status]").ClassName);
        Assert.Equal(status, chip.Find("[data-operation-status]").TextContent.Trim());
    }

    [Fact]
    public void A_fingerprint_is_shortened_in_monospace_and_copied_whole()
    {
        var text = Render<FingerprintText>(p => p.Add(x => x.Value, FakeHostRegistrar.Fingerprint));

        Assert.Equal("SHA256:uOzMFkp6Tq1BX…", text.Find("code").TextContent);
        text.Find("button").Click();

        var copy = Assert.Single(JSInterop.Invocations, i => i.Identifier == "navigator.clipboard.writeText");
        Assert.Equal(FakeHostRegistrar.Fingerprint, copy.Arguments[0]);
    }

    [Fact]
    public void Hostile_command_output_is_encoded_and_a_long_script_is_previewed()
    {
        var script = "set -e\n" + new string('x', 400);
        ImmutableArray<AuditEntry> entries =
        [
            new(1, null, "h1", "system", FixedTimeProvider.Start, ["sh", "-s", script], null, "<script>alert(1)</script>", "", 20_000),
        ];

        var list = Render<CommandList>(p => p.Add(x => x.Entries, entries));

        Assert.Equal("$ sh -s 'set -e …", list.Find("[data-shell]").TextContent);
        Assert.Equal("none", list.Find("[data-exit]").GetAttribute("data-exit"));
        list.Find("[data-toggle=stdout]").Click();
        Assert.Equal("<script>alert(1)</script>", list.Find("[data-stdout]").TextContent);
        Assert.Empty(list.FindAll("script"));
        Assert.Contains("&lt;script&gt;", list.Markup);
    }

    [Fact]
    public void A_host_program_opens_into_its_steps_each_command_with_its_outcome_and_output()
    {
        var plan = new HostPlan("h1", [
            new PlanStep("mod:x", "Load x", Command.Of("true"), null, Command.Of("test", "-d", "/")),
            new PlanStep("say:hi", "Say <hi>", Command.Of("sh", "-c", "echo '<b>hi</b>'; echo oops >&2; exit 4"), null, null),
            new PlanStep("never", "Never reached", Command.Of("true"), null, null),
        ]);
        var program = HostProgram.Apply(plan);
        var ran = RunUnderSh(program);
        ImmutableArray<AuditEntry> entries = [new(7, 3, "h1", "alice", FixedTimeProvider.Start, ["sh", "-s", program], 1, ran, "", 40)];

        var list = Render<CommandList>(p => p.Add(x => x.Entries, entries));
        Assert.Empty(list.FindAll("[data-program-steps]"));
        Assert.Equal("steps (3)", list.Find("[data-toggle=steps]").TextContent.Trim());
        list.Find("[data-toggle=steps]").Click();

        Assert.Equal(["skipped", "failed", "not run"], list.FindAll("[data-step-outcome]").Select(e => e.GetAttribute("data-step-outcome")));
        Assert.Equal("check $ test -d /", list.Find("[data-step-check='0']").TextContent);
        Assert.Equal("$ sh -c 'echo '\\''<b>hi</b>'\\''; echo oops >&2; exit 4'", list.Find("[data-step-command='1']").TextContent);
        Assert.Equal("<b>hi</b>\n", list.Find("[data-step-stdout='1']").TextContent);
        Assert.Equal("oops\n", list.Find("[data-step-stderr='1']").TextContent);
        Assert.Empty(list.FindAll("b"));
    }

    private static string RunUnderSh(string program)
    {
        using var sh = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("sh", "-s")
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false,
        })!;
        sh.StandardInput.Write(program);
        sh.StandardInput.Close();
        var stdout = sh.StandardOutput.ReadToEnd();
        sh.WaitForExit();
        return stdout;
    }

    [Theory]
    [InlineData(850, "850 ms")]
    [InlineData(1500, "1.5 s")]
    [InlineData(65_000, "1 min 5 s")]
    public void Durations_read_naturally(int milliseconds, string expected) =>
        Assert.Equal(expected, DisplayFormat.Duration(TimeSpan.FromMilliseconds(milliseconds)));
}
