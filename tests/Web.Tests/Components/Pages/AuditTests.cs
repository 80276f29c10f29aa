using Superbridge.Operations;
using Bunit;
using Superbridge.Web.Audit;
using Superbridge.Web.Tests.Components.Support;
using AuditPage = Superbridge.Web.Components.Pages.Audit;

namespace Superbridge.Web.Tests.Components.Pages;

public sealed class AuditTests : DashboardTestContext
{
    private static readonly DateTimeOffset At = FixedTimeProvider.Start;

    private async Task<(long Lab, long Other)> SeedAsync()
    {
        var lab = (await Journal.QueueAsync(SegmentOperationKind.Apply, "lab", "admin", null)).Id;
        await Audit.AppendAsync(new AuditEntry(0, lab, "h1", "admin", At, ["ip", "link", "add", "superbr0", "type", "bridge"], 0, "", "", 12));
        await Audit.AppendAsync(new AuditEntry(0, lab, "h2", "admin", At, ["ip", "link", "set", "dev", "it's here", "up"], 2, "", "RTNETLINK answers: <b>File exists</b>", 9));
        Time.Advance(TimeSpan.FromSeconds(3));
        await Journal.FinishAsync(lab, OperationStatus.RolledBack, null, "h2: RTNETLINK answers: File exists");
        var other = (await Journal.QueueAsync(SegmentOperationKind.Teardown, "other", "admin", null)).Id;
        await Audit.AppendAsync(new AuditEntry(0, other, "h1", "admin", At, ["true"], 0, "", "", 1));
        Time.Advance(TimeSpan.FromMilliseconds(1500));
        await Journal.FinishAsync(other, OperationStatus.Succeeded, null, null);
        await AddHostAsync("h1");
        await AddHostAsync("h2", "198.51.100.2");
        return (lab, other);
    }

    [Fact]
    public async Task Operations_are_newest_first_with_duration_and_status()
    {
        var (lab, other) = await SeedAsync();
        RenderProviders();

        var page = Render<AuditPage>();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-operation]").Count));
        Assert.Equal([other.ToString(), lab.ToString()], page.FindAll("[data-operation]").Select(o => o.GetAttribute("data-operation")));
        var rows = page.FindAll(".sb-operations tbody tr");
        Assert.Equal(["succeeded", "rolled-back"], page.FindAll("[data-operation-status]").Select(c => c.GetAttribute("data-operation-status")));
        Assert.Contains("1.5 s", rows[0].TextContent);
        Assert.Contains("3.0 s", rows[1].TextContent);
        Assert.Contains("h2: RTNETLINK answers: File exists", page.Find($"[data-operation-error=\"{lab}\"]").TextContent);
        Assert.Contains("mud-chip-color-warning", page.Find("[data-operation-status=rolled-back]").ClassName);
    }

    [Fact]
    public async Task Expanding_an_operation_shows_its_commands_as_shell_lines_with_exit_codes()
    {
        var (lab, _) = await SeedAsync();
        RenderProviders();
        var page = Render<AuditPage>();
        page.WaitForAssertion(() => page.Find($"[data-expand=\"{lab}\"]"));

        page.Find($"[data-expand=\"{lab}\"]").Click();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll($"[data-commands-of=\"{lab}\"] [data-command]").Count));
        var commands = page.FindAll($"[data-commands-of=\"{lab}\"] [data-command]");
        Assert.Equal("$ ip link set dev 'it'\\''s here' up", commands[0].QuerySelector("[data-shell]")!.TextContent);
        Assert.Equal("2", commands[0].QuerySelector("[data-exit]")!.GetAttribute("data-exit"));
        Assert.Equal("$ ip link add superbr0 type bridge", commands[1].QuerySelector("[data-shell]")!.TextContent);
        Assert.Equal("0", commands[1].QuerySelector("[data-exit]")!.GetAttribute("data-exit"));
        Assert.Null(commands[0].QuerySelector("[data-stderr]"));

        commands[0].QuerySelector("[data-toggle=stderr]")!.Click();

        page.WaitForAssertion(() => Assert.Equal("RTNETLINK answers: <b>File exists</b>",
            page.Find($"[data-commands-of=\"{lab}\"] [data-stderr]").TextContent));
        Assert.Empty(page.FindAll($"[data-commands-of=\"{lab}\"] b"));
    }

    [Fact]
    public async Task Filtering_by_host_keeps_the_operations_that_ran_on_it()
    {
        var (lab, _) = await SeedAsync();
        RenderProviders();
        var page = Render<AuditPage>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-operation]").Count));

        await page.InvokeAsync(() => page.FindComponents<MudBlazor.MudSelect<string>>()[0].Instance.ValueChanged.InvokeAsync("h2"));

        page.WaitForAssertion(() => Assert.Equal([lab.ToString()], page.FindAll("[data-operation]").Select(o => o.GetAttribute("data-operation"))));
    }

    [Fact]
    public async Task Filtering_by_segment_narrows_the_operations()
    {
        var (_, other) = await SeedAsync();
        RenderProviders();
        var page = Render<AuditPage>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-operation]").Count));

        await page.InvokeAsync(() => page.FindComponents<MudBlazor.MudSelect<string>>()[1].Instance.ValueChanged.InvokeAsync("other"));

        page.WaitForAssertion(() => Assert.Equal([other.ToString()], page.FindAll("[data-operation]").Select(o => o.GetAttribute("data-operation"))));
    }
}
