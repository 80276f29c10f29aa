using System.Collections.Immutable;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using Superbridge.Web.Hosts;

namespace Superbridge.Web.Components.Dialogs;

/// <summary>Edits just a host's tunnel and peer addresses (blank: the default); closes with true once stored, shows each field's refusal otherwise.</summary>
public partial class HostAddressesDialog
{
    private ImmutableDictionary<string, string[]> _errors = ImmutableDictionary<string, string[]>.Empty;
    private bool _saving;

    [CascadingParameter] public required IMudDialogInstance MudDialog { get; set; }
    [Inject] public required HostAddressEditor Editor { get; init; }

    [Parameter, EditorRequired] public required string HostId { get; set; }
    [Parameter] public string? TunnelAddress { get; set; }
    [Parameter] public string? PeerAddress { get; set; }

    private string? Error(string field) => _errors.TryGetValue(field, out var messages) ? string.Join("; ", messages) : null;

    private void Cancel() => MudDialog.Cancel();

    private async Task SaveAsync()
    {
        _saving = true;
        try
        {
            var result = await Editor.SetAsync(HostId, new HostAddressesRequest { TunnelAddress = TunnelAddress, PeerAddress = PeerAddress });
            _errors = result.NotFound
                ? ImmutableDictionary<string, string[]>.Empty.Add("peerAddress", [$"host {HostId} no longer exists"])
                : result.Errors.ToDictionary();
            if (!result.NotFound && !result.Errors.Any) MudDialog.Close(DialogResult.Ok(true));
        }
        finally
        {
            _saving = false;
        }
    }
}
