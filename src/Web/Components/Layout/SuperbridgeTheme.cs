using MudBlazor;

namespace Superbridge.Web.Components.Layout;

/// <summary>The dashboard's palette, shared by light and dark mode.</summary>
internal static class SuperbridgeTheme
{
    public static MudTheme Instance { get; } = new()
    {
        PaletteLight = new PaletteLight { Primary = "#1565c0", Secondary = "#00897b", AppbarBackground = "#0d47a1" },
        PaletteDark = new PaletteDark { Primary = "#64b5f6", Secondary = "#4db6ac" },
    };
}
