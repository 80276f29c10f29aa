using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace Superbridge.Web.Components.Controls;

/// <summary>A host key fingerprint in monospace, shortened unless <see cref="Full"/>, with a copy button.</summary>
public partial class FingerprintText
{
    private bool _copied;

    [Inject] public required IJSRuntime JS { get; init; }

    [Parameter, EditorRequired] public required string Value { get; set; }

    [Parameter] public bool Full { get; set; }

    private string Shown => Full ? Value : DisplayFormat.Shorten(Value, 20);

    private async Task CopyAsync()
    {
        await JS.InvokeVoidAsync("navigator.clipboard.writeText", Value);
        _copied = true;
    }
}
