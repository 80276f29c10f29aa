using Microsoft.AspNetCore.Components;
using MudBlazor;
using Superbridge.Core.Model;
using Superbridge.Web.Components.Dialogs;
using Superbridge.Web.Topology;

namespace Superbridge.Web.Components.Pages;

/// <summary>One segment: members, tunnels with their paired values, router, attached containers, MTU; and the dialogs that change it.</summary>
public partial class SegmentDetail
{
    private SegmentDetailView? _view;
    private bool _loaded;
    private List<BreadcrumbItem> _breadcrumbs = [];

    [Parameter] public required string Id { get; set; }

    [Inject] public required TopologyData Data { get; init; }
    [Inject] public required IDialogService Dialogs { get; init; }
    [Inject] public required NavigationManager Navigation { get; init; }

    protected override async Task OnParametersSetAsync()
    {
        _breadcrumbs = [new("Segments", href: "segments"), new(Id, href: null, disabled: true)];
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        var all = await Data.SegmentsAsync();
        var record = all.FirstOrDefault(s => s.Id == Id);
        _view = record is null ? null : SegmentViews.Detail(record, all, await Data.HostsAsync());
        _loaded = true;
    }

    private static readonly DialogOptions Wide = new() { MaxWidth = MaxWidth.Large, FullWidth = true, BackdropClick = false, CloseOnEscapeKey = false };

    private async Task RouterAsync(string host, RouterMode mode = RouterMode.Gateway)
    {
        var parameters = new DialogParameters<RouterDialog> { { d => d.SegmentId, Id }, { d => d.HostId, host }, { d => d.Mode, mode } };
        await ShowAsync<RouterDialog>($"Router for {Id}", parameters);
    }

    private async Task AttachAsync(string? host)
    {
        var parameters = new DialogParameters<AttachContainerDialog> { { d => d.SegmentId, Id }, { d => d.HostId, host } };
        await ShowAsync<AttachContainerDialog>($"Attach a container to {Id}", parameters);
    }

    private async Task TeardownAsync()
    {
        var parameters = new DialogParameters<ConfirmTeardownDialog> { { d => d.SegmentId, Id } };
        await ShowAsync<ConfirmTeardownDialog>($"Tear down {Id}", parameters);
        if (await Data.SegmentAsync(Id) is null) Navigation.NavigateTo("segments");
    }

    private async Task ShowAsync<TDialog>(string title, DialogParameters parameters) where TDialog : IComponent
    {
        var dialog = await Dialogs.ShowAsync<TDialog>(title, parameters, Wide);
        await dialog.Result;
        await LoadAsync();
    }
}
