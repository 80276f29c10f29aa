using Microsoft.AspNetCore.Components;
using Superbridge.Ssh.Inventory;

namespace Superbridge.Web.Components.Controls;

/// <summary>gretap, L2TPv3, VXLAN and LXC as chips: green when the host has it, grey outline when not.</summary>
public partial class FeatureChips
{
    [Parameter] public InventoryFeatures? Features { get; set; }

    public static IReadOnlyList<(string Label, bool Present, string What)> Items(InventoryFeatures features) =>
    [
        ("gretap", features.Gretap, "GRE over IP (gretap) tunnels"),
        ("L2TPv3", features.L2tpv3, "L2TPv3 ethernet pseudowires"),
        ("VXLAN", features.Vxlan, "VXLAN tunnels"),
        ("LXC", features.Lxc, "LXC tools"),
    ];
}
