using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Superbridge.Web.Components.Controls;

/// <summary>An operation's status: succeeded (green), failed (red), rolled-back, interrupted or cancelled (amber), queued or running (blue).</summary>
public partial class OperationStatusChip
{
    [Parameter, EditorRequired] public required string Status { get; set; }

    public static Color ColorOf(string status) => status switch
    {
        "succeeded" => Color.Success,
        "failed" => Color.Error,
        "rolled-back" or "interrupted" or "cancelled" => Color.Warning,
        "running" or "queued" => Color.Info,
        _ => Color.Default,
    };

    private static string IconOf(string status) => status switch
    {
        "succeeded" => Icons.Material.Filled.CheckCircle,
        "failed" => Icons.Material.Filled.Cancel,
        "rolled-back" => Icons.Material.Filled.Undo,
        "running" => Icons.Material.Filled.PlayCircle,
        "queued" => Icons.Material.Filled.Schedule,
        "interrupted" => Icons.Material.Filled.PowerOff,
        "cancelled" => Icons.Material.Filled.StopCircle,
        "refused" => Icons.Material.Filled.Block,
        _ => Icons.Material.Filled.HelpOutline,
    };
}
