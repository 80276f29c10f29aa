using Microsoft.AspNetCore.Components;
using MudBlazor;
using Superbridge.Web.Drift;
using Superbridge.Web.Hosts;
using Superbridge.Web.Inventory;

namespace Superbridge.Web.Components.Pages;

/// <summary>One host: its facts, containers, bridges with their ports, tunnels, dnsmasq and NAT, and drift from what was applied; follows refreshes live.</summary>
public partial class HostDetail : IAsyncDisposable
{
    private readonly CancellationTokenSource _disposed = new();
    private StoredHost? _host;
    private HostStatus _status = HostStatus.UnknownFor("");

    private PersistenceView Persistence => PersistenceView.Of(_status.Observed);
    private IpsecView Ipsec => IpsecView.Of(_status.Observed);
    private HostDriftReport? _drift;
    private bool _loaded;
    private Task? _watch;

    [Inject] public required HostStore Store { get; init; }
    [Inject] public required HostStatusBoard Board { get; init; }
    [Inject] public required TimeProvider Time { get; init; }
    [Inject] public required HostDriftService Drift { get; init; }

    [Parameter] public required string Id { get; set; }

    private List<BreadcrumbItem> Breadcrumbs => [new("Hosts", "hosts"), new(Id, null, disabled: true)];

    protected override async Task OnParametersSetAsync()
    {
        _loaded = false;
        _host = await Store.FindAsync(Id, _disposed.Token);
        _status = Board.Get(Id);
        _drift = _host is null ? null : await Drift.ReportAsync(Id, _disposed.Token);
        _loaded = true;
        _watch ??= WatchAsync(_disposed.Token);
        if (_host is not null && _status is { State: HostState.Unknown, IsRefreshing: false })
        {
            _ = Board.RefreshAsync(Id, cancellationToken: _disposed.Token);
        }
    }

    private async Task WatchAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var status in Board.WatchAsync(cancellationToken))
            {
                if (status.HostId != Id) continue;
                // Only this host's inventory changes its drift: peers' refreshes are skipped above.
                var drift = await Drift.ReportAsync(Id, cancellationToken);
                await InvokeAsync(() =>
                {
                    _status = status;
                    _drift = drift;
                    StateHasChanged();
                });
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private Task RefreshAsync() => Board.RefreshAsync(Id, cancellationToken: _disposed.Token);

    private static string Or(string? value, string fallback = "unknown") => string.IsNullOrEmpty(value) ? fallback : value;

    public async ValueTask DisposeAsync()
    {
        await _disposed.CancelAsync();
        if (_watch is not null) await _watch;
        _disposed.Dispose();
        GC.SuppressFinalize(this);
    }
}
