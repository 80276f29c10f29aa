using Superbridge.Core.Programs;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;
using System.Globalization;
using Superbridge.Core.Mtu;
using Superbridge.Core.Planning;

namespace Superbridge.Web.Components.Controls;

/// <summary>
/// The exact commands a plan runs, one column per host side by side (in plan order), each with a copy button and a
/// download of <see cref="HostProgram.Apply"/>: the very program the apply sends to the host.
/// </summary>
public partial class PlanPreview
{
    [Inject] public required IJSRuntime JS { get; init; }
    [Inject] public required ISnackbar Snackbar { get; init; }

    [Parameter, EditorRequired] public required SegmentPlan Plan { get; set; }

    private int ColumnWidth => Plan.Hosts.Length switch { 1 => 12, 2 => 6, _ => 4 };

    private string MeasuredAt => Plan.PathsMeasuredAt is { } at ? at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) : "";

    /// <summary>"h1 → h2 1400" (the largest packet that crossed), or "dropped every probe" and the figure used instead.</summary>
    private static string PathText(MeasuredPath path) =>
        $"{path.Path.From} → {path.Path.To} " + (path.Mtu is { } mtu ? mtu.ToString(CultureInfo.InvariantCulture)
            : $"dropped every probe (interface {path.Path.InterfaceMtu} used)") + "; ";

    private static string StepCount(HostPlan host) => host.Steps.Length == 1 ? "1 step" : $"{host.Steps.Length} steps";

    private string FileName(HostPlan host) => $"superbridge-{Plan.Segment}-{host.Host.Value}.sh";

    private static string DownloadHref(HostPlan host) => "data:text/x-shellscript;charset=utf-8," + Uri.EscapeDataString(HostProgram.Apply(host));

    private async Task CopyAsync(HostPlan host)
    {
        try
        {
            await JS.InvokeVoidAsync("navigator.clipboard.writeText", HostProgram.Apply(host));
            Snackbar.Add($"Copied the commands for {host.Host.Value}", Severity.Success);
        }
        catch (JSException e)
        {
            Snackbar.Add($"The browser refused the clipboard: {e.Message}", Severity.Warning);
        }
    }
}
