using System.Collections.Immutable;
using System.Globalization;
using Blazor.Diagrams.Core.Models;
using Microsoft.AspNetCore.Components;
using Superbridge.Web.Topology;

namespace Superbridge.Web.Components.Controls;

/// <summary>
/// Every tunnel of the topology canvas, drawn in the diagram's SVG layer by this one component. As diagram links each
/// tunnel cost the server two components per open page (the library's link renderer and a widget), and could only be
/// drawn once the browser had measured both of its hosts; 100 tunnels were a third of a page's circuit memory.
/// Tunnels are not dragged or selected, so nothing is lost; they follow their hosts when a host is moved.
/// </summary>
public partial class TunnelLayer : IDisposable
{
    private IReadOnlyCollection<HostNodeModel> _watched = [];

    /// <summary>The hosts on the canvas by host id.</summary>
    [Parameter] public required IReadOnlyDictionary<string, HostNodeModel> Nodes { get; set; }

    [Parameter] public required ImmutableArray<TopologyEdge> Edges { get; set; }

    protected override void OnParametersSet()
    {
        foreach (var node in _watched) node.Moving -= OnHostMoving;
        _watched = [.. Nodes.Values];
        foreach (var node in _watched) node.Moving += OnHostMoving;
    }

    private void OnHostMoving(NodeModel node) => _ = InvokeAsync(StateHasChanged);

    private static string Invariant(double value) => Math.Round(value, 1).ToString(CultureInfo.InvariantCulture);

    public void Dispose()
    {
        foreach (var node in _watched) node.Moving -= OnHostMoving;
        GC.SuppressFinalize(this);
    }
}
