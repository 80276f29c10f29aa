using Microsoft.AspNetCore.Components;
using Superbridge.Web.Inventory;

namespace Superbridge.Web.Components.Controls;

/// <summary>Online / Offline (with the reason as a second chip, the full message as tooltip) / Unknown, plus a spinner while refreshing.</summary>
public partial class HostStatusChip
{
    [Parameter, EditorRequired] public required HostStatus Status { get; set; }

    private string OnlineTooltip => Status.Duration is { } d ? $"Inventory read in {DisplayFormat.Duration(d)}" : "Online";
}
