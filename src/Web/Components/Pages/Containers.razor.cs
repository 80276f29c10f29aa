using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using Superbridge.Operations;
using Superbridge.Web.Components.Controls;
using Superbridge.Web.Components.Dialogs;
using Superbridge.Web.Hosts;
using Superbridge.Web.Inventory;
using Superbridge.Web.Segments;

namespace Superbridge.Web.Components.Pages;

/// <summary>Every host's containers side by side (as last read), with the segment each network is on; attach and detach per row.</summary>
public partial class Containers
{
    private List<ContainerRow> _rows = [];
    private IReadOnlyList<SegmentRecord> _segments = [];
    private bool _loaded;
    private bool _refreshing;
    private string? _host;
    private string? _segment;
    private string? _state;
    private string? _text;

    [Inject] public required HostStore Hosts { get; init; }
    [Inject] public required HostStatusBoard Board { get; init; }
    [Inject] public required SegmentStore SegmentStore { get; init; }
    [Inject] public required SegmentService Segments { get; init; }
    [Inject] public required IDialogService Dialogs { get; init; }
    [Inject] public required ISnackbar Snackbar { get; init; }
    [CascadingParameter] public Task<AuthenticationState>? Authentication { get; set; }

    private IEnumerable<ContainerRow> Shown => new ContainerFilter(_host, _segment, _state, _text).Apply(_rows);

    protected override async Task OnInitializedAsync()
    {
        await LoadAsync();
        _ = RefreshUnknownAsync();
    }

    private async Task LoadAsync()
    {
        _segments = await SegmentStore.ListAsync();
        _rows = [.. ContainerRows.From(await Hosts.ListAsync(), Board.Get, _segments)];
        _loaded = true;
    }

    private async Task RefreshUnknownAsync()
    {
        await Board.RefreshUnknownAsync();
        await InvokeAsync(async () => { await LoadAsync(); StateHasChanged(); });
    }

    private async Task RefreshAsync()
    {
        _refreshing = true;
        await Board.RefreshAllAsync();
        await LoadAsync();
        _refreshing = false;
    }

    /// <summary>Segments with this container's host as member that do not have it attached yet.</summary>
    private IEnumerable<string> AttachableTo(ContainerRow row) =>
        _segments.Where(s => s.Desired.Spec.Members.Any(m => m.Value == row.HostId) && !row.AttachedTo.Contains(s.Id)).Select(s => s.Id);

    private async Task AttachAsync(ContainerRow row, string segment)
    {
        var parameters = new DialogParameters<AttachContainerDialog> { { d => d.SegmentId, segment }, { d => d.HostId, row.HostId } };
        var dialog = await Dialogs.ShowAsync<AttachContainerDialog>($"Attach a container to {segment}", parameters,
            new DialogOptions { MaxWidth = MaxWidth.Large, FullWidth = true });
        ApplyOutcomeMessage.Show(Snackbar, $"Attach to {segment}", await dialog.Result);
        await LoadAsync();
    }

    private async Task DetachAsync(ContainerRow row, string segment)
    {
        var previous = _segments.FirstOrDefault(s => s.Id == segment)?.Desired.Allocation.Attachments
            .FirstOrDefault(a => a.Host.Value == row.HostId && a.Container == row.Name)?.PreviousLink;
        if (await DetachConfirmation.RunAsync(Dialogs, Segments, Snackbar, segment, row.HostId, row.Name, previous,
                await DialogUser.NameAsync(Authentication)))
            await LoadAsync();
    }
}
