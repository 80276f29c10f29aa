using System.Collections.Immutable;
using Microsoft.AspNetCore.Components;
using Superbridge.Web.Topology;

namespace Superbridge.Web.Components.Pages;

/// <summary>Every stored segment with its transport, members, router, attached containers, MTU and whether it is applied.</summary>
public partial class Segments
{
    private ImmutableArray<SegmentRow> _rows = [];
    private bool _loaded;

    [Inject] public required TopologyData Data { get; init; }
    [Inject] public required NavigationManager Navigation { get; init; }

    protected override async Task OnInitializedAsync()
    {
        _rows = SegmentViews.Rows(await Data.SegmentsAsync(), await Data.HostsAsync());
        _loaded = true;
    }

    private void Open(SegmentRow row) => Navigation.NavigateTo($"segments/{Uri.EscapeDataString(row.Name)}");
}
