using Microsoft.AspNetCore.Components;
using Superbridge.Core.Planning;
using Superbridge.Web.Drift;

namespace Superbridge.Web.Components.Controls;

/// <summary>
/// Each segment applied to a host, in sync or with what is missing or different there, linked to the segment page
/// where applying puts it back; or why the host's inventory cannot be compared.
/// </summary>
public partial class DriftList
{
    [Parameter, EditorRequired] public required HostDriftReport Report { get; set; }

    private static string SegmentHref(SegmentDrift segment) => $"segments/{Uri.EscapeDataString(segment.Segment)}";

    private static string Differences(SegmentDrift segment) => segment.Items.Length == 1 ? "1 difference" : $"{segment.Items.Length} differences";

    /// <summary>The words the data-* hooks carry, stable for end-to-end tests.</summary>
    public static string Name(SegmentDriftState state) => state switch
    {
        SegmentDriftState.InSync => "in-sync",
        SegmentDriftState.Drifted => "drifted",
        SegmentDriftState.CannotCompare => "cannot-compare",
        _ => "not-checked",
    };

    public static string Name(InventoryTrust observation) => observation switch
    {
        InventoryTrust.Observed => "observed",
        InventoryTrust.Offline => "offline",
        InventoryTrust.Incomplete => "incomplete",
        _ => "unknown",
    };

    public static string Name(DriftKind kind) => kind == DriftKind.Mismatch ? "mismatch" : "missing";
}
