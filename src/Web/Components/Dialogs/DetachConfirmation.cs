using MudBlazor;
using Superbridge.Core.Model;
using Superbridge.Operations;

namespace Superbridge.Web.Components.Dialogs;

/// <summary>
/// Detaching a container, wherever it is asked for (segment page, Containers page): confirm first, then change only the
/// wanted state (the container keeps its link until the pending changes are applied) and say what happened.
/// </summary>
internal static class DetachConfirmation
{
    /// <returns>Whether the operator confirmed (the caller reloads then).</returns>
    public static async Task<bool> RunAsync(IDialogService dialogs, SegmentService segments, ISnackbar snackbar,
        string segment, HostId host, string container, string? previousLink, string user)
    {
        var parameters = new DialogParameters<ConfirmDialog>
        {
            { d => d.Title, $"Detach {container}?" },
            { d => d.Message, $"Container {container} on {host} leaves segment {segment}." },
            { d => d.Detail, $"Nothing changes on {host} until the pending changes are applied; then the container gets its old link back ({previousLink ?? "none"})." },
            { d => d.ConfirmText, "Detach" },
        };
        var dialog = await dialogs.ShowAsync<ConfirmDialog>($"Detach {container}", parameters, new DialogOptions { MaxWidth = MaxWidth.ExtraSmall, FullWidth = true });
        if (await dialog.Result is not { Canceled: false }) return false;
        var outcome = await segments.DetachAsync(segment, host, container, user);
        if (outcome.Value is not null)
            snackbar.Add($"{container} detached from {segment}: apply the pending changes to change {host}", Severity.Info);
        else if (outcome.NotFound)
            snackbar.Add($"{container} is no longer attached to {segment}", Severity.Warning);
        else
            snackbar.Add($"{container} was not detached: {string.Join("; ", outcome.Errors.Select(e => e.ToString()))}", Severity.Error);
        return true;
    }
}
