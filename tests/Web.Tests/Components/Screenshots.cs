using Superbridge.Operations;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Superbridge.Ssh;
using Superbridge.Web.Audit;
using Superbridge.Web.Components.Dialogs;
using Superbridge.Web.Components.Layout;
using Superbridge.Web.Components.Pages;
using Superbridge.Web.Tests.Components.Support;
using Superbridge.Web.Tests.Support;
using HostsPage = Superbridge.Web.Components.Pages.Hosts;

namespace Superbridge.Web.Tests.Components;

/// <summary>
/// Writes the pages, rendered with captured inventories, as static HTML for a headless browser to photograph
/// (set SUPERBRIDGE_SCREENSHOTS_DIR). Does nothing otherwise.
/// </summary>
public sealed class Screenshots : DashboardTestContext
{
    private static readonly string? Directory = Environment.GetEnvironmentVariable("SUPERBRIDGE_SCREENSHOTS_DIR");

    [Fact]
    public async Task Write_pages_as_html()
    {
        if (Directory is null) return;
        await AddHostAsync("ha", "198.51.100.77");
        await AddHostAsync("hb", "198.51.100.78", sudo: true, user: "sblab-user");
        await AddHostAsync("h1", "198.51.100.1");
        await AddHostAsync("h9", "198.51.100.9");
        Inventory.Answer(InventoryFixtures.Capture("ha"));
        Inventory.Answer(InventoryFixtures.LabH1("hb"));
        Inventory.Answer(InventoryFixtures.LabH1("h1"));
        Inventory.Answer(FakeHostInventorySource.Offline("h9", SshFailureReason.Timeout, "No inventory from root@198.51.100.9:22 within 20 s: the host is down, unreachable, or too slow to answer."));
        await Board.RefreshAllAsync();
        Time.Advance(TimeSpan.FromSeconds(42));
        var op = (await Journal.QueueAsync(SegmentOperationKind.Apply, "lab", "admin", null)).Id;
        await Audit.AppendAsync(new AuditEntry(0, op, "ha", "admin", Time.GetUtcNow(), ["ip", "link", "add", "sb-lab", "type", "bridge"], 0, "", "", 12));
        await Audit.AppendAsync(new AuditEntry(0, op, "hb", "admin", Time.GetUtcNow(), ["ip", "link", "add", "sbvx-lab", "type", "vxlan", "id", "42", "dstport", "4789", "local", "198.51.100.78", "nolearning"], 2, "", "RTNETLINK answers: File exists", 9));
        Time.Advance(TimeSpan.FromSeconds(2));
        await Journal.FinishAsync(op, OperationStatus.RolledBack, null, "hb: RTNETLINK answers: File exists");
        var ok = (await Journal.QueueAsync(SegmentOperationKind.Apply, "web", "admin", null)).Id;
        await Audit.AppendAsync(new AuditEntry(0, ok, "h1", "admin", Time.GetUtcNow(), ["lxc-attach", "-n", "h1-c1", "--", "udhcpc", "-i", "eth0"], 0, "udhcpc: lease of 10.42.0.12 obtained", "", 840));
        Time.Advance(TimeSpan.FromMilliseconds(1300));
        await Journal.FinishAsync(ok, OperationStatus.Succeeded, null, null);

        Write("hosts", Shell(b => b.OpenComponent<HostsPage>(0)));
        Write("host-detail", Shell(b => { b.OpenComponent<HostDetail>(0); b.AddAttribute(1, "Id", "ha"); }));
        Write("overview", Shell(b => b.OpenComponent<Home>(0)));
        var audit = Shell(b => b.OpenComponent<Superbridge.Web.Components.Pages.Audit>(0));
        audit.WaitForAssertion(() => audit.Find("[data-expand]"));
        audit.FindAll("[data-expand]")[1].Click();
        audit.WaitForAssertion(() => audit.Find("[data-commands-of] [data-toggle=stderr]"));
        audit.Find("[data-commands-of] [data-toggle=stderr]").Click();
        Write("audit", audit);

        var provider = Render<MudDialogProvider>();
        await provider.InvokeAsync(() => Services.GetRequiredService<IDialogService>().ShowAsync<AddHostDialog>("Add host",
            new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true }));
        provider.Find("input[data-field=address]").Change("198.51.100.2");
        provider.Find("input[data-field=privateKeyPath]").Change("/run/sblab/id_ed25519");
        provider.Find("button[data-action=connect]").Click();
        provider.WaitForAssertion(() => provider.Find("[data-host-key]"));
        provider.Find("input[data-confirm=compared]").Change(true);
        Write("add-host-dialog", provider);

        var invalid = Render<MudDialogProvider>();
        await invalid.InvokeAsync(() => Services.GetRequiredService<IDialogService>().ShowAsync<AddHostDialog>("Add host",
            new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true }));
        invalid.FindAll("input[data-field=address]")[^1].Change("198.51.100.2.");
        invalid.FindAll("input[data-field=username]")[^1].Change("Root!");
        invalid.FindAll("button[data-action=connect]")[^1].Click();
        Write("add-host-dialog-invalid", invalid);
    }

    private IRenderedComponent<IComponent> Shell(RenderFragment page) => Render(b =>
    {
        b.OpenComponent<MudThemeProvider>(0);
        b.AddAttribute(1, "Theme", Superbridge.Web.Components.Layout.SuperbridgeTheme.Instance);
        b.CloseComponent();
        b.OpenComponent<MudLayout>(2);
        b.AddAttribute(3, "ChildContent", (RenderFragment)(l =>
        {
            l.OpenComponent<MudAppBar>(0);
            l.AddAttribute(1, "Dense", true);
            l.AddAttribute(2, "Elevation", 1);
            l.AddAttribute(3, "ChildContent", (RenderFragment)(a => a.AddMarkupContent(0, "<h6 class=\"mud-typography mud-typography-h6 ml-2\">Superbridge</h6>")));
            l.CloseComponent();
            l.OpenComponent<MudDrawer>(4);
            l.AddAttribute(5, "Open", true);
            l.AddAttribute(6, "ClipMode", DrawerClipMode.Always);
            l.AddAttribute(7, "Elevation", 1);
            l.AddAttribute(8, "ChildContent", (RenderFragment)(d => { d.OpenComponent<NavMenu>(0); d.CloseComponent(); }));
            l.CloseComponent();
            l.OpenComponent<MudMainContent>(9);
            l.AddAttribute(10, "Class", "pt-16 px-4");
            l.AddAttribute(11, "ChildContent", page + (RenderFragment)(c => c.CloseComponent()));
            l.CloseComponent();
        }));
        b.CloseComponent();
    });

    private void Write<T>(string name, IRenderedComponent<T> rendered) where T : IComponent
    {
        Thread.Sleep(300);
        var root = RepositoryRoot.Path;
        var head = $$"""
            <!DOCTYPE html><html><head><meta charset="utf-8"><base href="http://127.0.0.1/">
            <link rel="stylesheet" href="file://{{Environment.GetEnvironmentVariable("HOME")}}/.nuget/packages/mudblazor/9.12.0/staticwebassets/MudBlazor.min.css">
            <link rel="stylesheet" href="file://{{root}}/wwwroot-assets/superbridge.css">
            <link rel="stylesheet" href="file://{{root}}/src/Web/obj/Debug/net10.0/scopedcss/bundle/Superbridge.Web.styles.css">
            <style>body{margin:0} .mud-overlay-dialog{position:fixed}</style></head><body>
            """;
        var theme = name.StartsWith("add-host", StringComparison.Ordinal)
            ? Render<MudThemeProvider>(p => p.Add(x => x.Theme, Superbridge.Web.Components.Layout.SuperbridgeTheme.Instance)).Markup
            : "";
        File.WriteAllText(Path.Combine(Directory!, name + ".html"), head + theme + rendered.Markup + "</body></html>");
    }
}
