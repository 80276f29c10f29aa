using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Superbridge.Web.Components.Dialogs;

/// <summary>Asks before something destructive; closes with <c>true</c> when confirmed, cancelled otherwise.</summary>
public partial class ConfirmDialog
{
    [CascadingParameter] public required IMudDialogInstance MudDialog { get; set; }

    [Parameter, EditorRequired] public required string Title { get; set; }
    [Parameter, EditorRequired] public required string Message { get; set; }
    [Parameter] public string? Detail { get; set; }
    [Parameter] public string ConfirmText { get; set; } = "Delete";

    private void Cancel() => MudDialog.Cancel();

    private void Confirm() => MudDialog.Close(DialogResult.Ok(true));
}
