using Blazor.Diagrams;
using Blazor.Diagrams.Core.Anchors;
using Blazor.Diagrams.Core.Models;
using Blazor.Diagrams.Core.Models.Base;
using Blazor.Diagrams.Options;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using Superbridge.Web.Components.Controls;
using Superbridge.Web.Components.Dialogs;
using Superbridge.Web.Inventory;
using Superbridge.Web.Topology;

namespace Superbridge.Web.Components.Pages;

/// <summary>
/// The hosts as a diagram (layout from <see cref="TopologyGraphBuilder"/>) with every segment's tunnels; a link dragged
/// from one host's port to another host opens <see cref="CreateTunnelDialog"/>. Host status follows the board live.
/// </summary>
public partial class Topology : IAsyncDisposable
{
    private readonly CancellationTokenSource _disposed = new();
    private readonly Dictionary<string, HostNodeModel> _nodes = new(StringComparer.Ordinal);
    private TopologyGraph _graph = TopologyGraph.Empty;
    private bool _loaded;
    private bool _refreshing;
    private string? _from;
    private string? _to;
    private Task? _watch;

    [Inject] public required TopologyData Data { get; init; }
    [Inject] public required HostStatusBoard Board { get; init; }
    [Inject] public required IDialogService Dialogs { get; init; }
    [Inject] public required ISnackbar Snackbar { get; init; }

    public BlazorDiagram Diagram { get; } = CreateDiagram();

    private static BlazorDiagram CreateDiagram()
    {
        var options = new BlazorDiagramOptions
        {
            AllowMultiSelection = false,
            GridSize = null,
        };
        options.Links.DefaultColor = "#90a4ae";
        options.Links.DefaultSelectedColor = "#1565c0";
        options.Links.RequireTarget = true;
        options.Links.EnableSnapping = true;
        options.Links.SnappingRadius = 40;
        options.Zoom.Minimum = 0.3;
        options.Zoom.Maximum = 2;
        options.Constraints.ShouldDeleteNode = _ => ValueTask.FromResult(false);
        options.Constraints.ShouldDeleteLink = _ => ValueTask.FromResult(false);
        var diagram = new BlazorDiagram(options);
        diagram.RegisterComponent<HostNodeModel, HostNode>();
        return diagram;
    }

    protected override async Task OnInitializedAsync()
    {
        Diagram.Links.Added += OnLinkAdded;
        await LoadAsync();
        _watch = WatchAsync(_disposed.Token);
        _ = RefreshUnknownAsync();
    }

    private async Task LoadAsync()
    {
        _graph = TopologyGraphBuilder.Build(await Data.HostsAsync(), await Data.SegmentsAsync());
        _loaded = true;
        Sync();
    }

    /// <summary>Adds, updates and removes nodes (existing ones keep their position); <see cref="TunnelLayer"/> draws the tunnels.</summary>
    private void Sync()
    {
        Diagram.Batch(() =>
        {
            var wanted = _graph.Nodes.Select(n => n.HostId).ToHashSet(StringComparer.Ordinal);
            foreach (var gone in _nodes.Keys.Where(k => !wanted.Contains(k)).ToList())
            {
                Diagram.Nodes.Remove(_nodes[gone]);
                _nodes.Remove(gone);
            }
            foreach (var node in _graph.Nodes)
            {
                if (_nodes.TryGetValue(node.HostId, out var model)) model.Update(node);
                else _nodes[node.HostId] = Diagram.Nodes.Add(new HostNodeModel(node));
            }
        });
    }

    private Task<IEnumerable<string>> SearchFromAsync(string? text, CancellationToken cancellationToken) =>
        Task.FromResult(TopologyGraphBuilder.MatchingHosts(_graph, text, except: null));

    private Task<IEnumerable<string>> SearchToAsync(string? text, CancellationToken cancellationToken) =>
        Task.FromResult(TopologyGraphBuilder.MatchingHosts(_graph, text, except: _from));

    private string HostName(string? hostId) => _graph.Nodes.FirstOrDefault(n => n.HostId == hostId)?.Name ?? hostId ?? "";

    /// <summary>A link the user started dragging from a port: once dropped on another host it becomes a tunnel dialog.</summary>
    private void OnLinkAdded(BaseLinkModel link)
    {
        if (link.Source is not SinglePortAnchor) return;
        link.TargetAttached += OnTargetAttached;
    }

    private void OnTargetAttached(BaseLinkModel link)
    {
        link.TargetAttached -= OnTargetAttached;
        var from = (link.Source as SinglePortAnchor)?.Port.Parent as HostNodeModel;
        var to = link.Target switch
        {
            SinglePortAnchor port => port.Port.Parent as HostNodeModel,
            ShapeIntersectionAnchor shape => shape.Node as HostNodeModel,
            _ => null,
        };
        Diagram.Links.Remove(link);
        if (from is null || to is null || from == to) return;
        _ = InvokeAsync(() => CreateTunnelAsync(from.Host.HostId, to.Host.HostId));
    }

    /// <summary>Opens the tunnel dialog for two hosts (what dropping a dragged link does); reloads the graph when it closes.</summary>
    internal async Task CreateTunnelAsync(string a, string b)
    {
        var parameters = new DialogParameters<CreateTunnelDialog> { { d => d.HostA, a }, { d => d.HostB, b } };
        var options = new DialogOptions { MaxWidth = MaxWidth.Large, FullWidth = true, BackdropClick = false, CloseOnEscapeKey = false };
        var dialog = await Dialogs.ShowAsync<CreateTunnelDialog>($"Tunnel {a} ⟷ {b}", parameters, options);
        ApplyOutcomeMessage.Show(Snackbar, $"Tunnel {a} ⟷ {b}", await dialog.Result);
        await LoadAsync();
        StateHasChanged();
    }

    private async Task RefreshAsync()
    {
        _refreshing = true;
        try
        {
            await Board.RefreshAllAsync(_disposed.Token);
        }
        finally
        {
            _refreshing = false;
        }
    }

    private async Task RefreshUnknownAsync()
    {
        try
        {
            await Board.RefreshUnknownAsync(_disposed.Token);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Host status changes (online dot, container count) as the board publishes them.</summary>
    private async Task WatchAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var _ in Board.WatchAsync(cancellationToken))
            {
                var hosts = await Data.HostsAsync(cancellationToken);
                var segments = await Data.SegmentsAsync(cancellationToken);
                await InvokeAsync(() =>
                {
                    _graph = TopologyGraphBuilder.Build(hosts, segments);
                    foreach (var node in _graph.Nodes)
                        if (_nodes.TryGetValue(node.HostId, out var model)) model.Update(node);
                    StateHasChanged();
                });
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        Diagram.Links.Added -= OnLinkAdded;
        await _disposed.CancelAsync();
        if (_watch is not null) await _watch;
        _disposed.Dispose();
        GC.SuppressFinalize(this);
    }
}
