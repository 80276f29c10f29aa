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
    private IReadOnlyList<StoredHost> _all = [];
    private HostStatus _status = HostStatus.UnknownFor("");

    private PersistenceView Persistence => PersistenceView.Of(_status.Observed);
    private IpsecView Ipsec => IpsecView.Of(_status.Observed);
    private HostAddressFacts Addresses => HostAddressFacts.Of(_host!, _status.Observed, _all);
    private HostDriftReport? _drift;
    private bool _loaded;
    private Task? _watch;

    [Inject] public required HostStore Store { get; init; }
    [Inject] public required HostStatusBoard Board { get; init; }
    [Inject] public required TimeProvider Time { get; init; }
    [Inject] public required HostDriftService Drift { get; init; }
    [Inject] public required IDialogService Dialogs { get; init; }

    [Parameter] public required string Id { get; set; }

    private List<BreadcrumbItem> Breadcrumbs => [new("Hosts", "hosts"), new(Id, null, disabled: true)];

    protected override async Task OnParametersSetAsync()
    {
        _loaded = false;
        _all = await Store.ListAsync(_disposed.Token);
        _host = _all.FirstOrDefault(h => h.Id == Id);
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

    private async Task EditAddressesAsync()
    {
        var parameters = new DialogParameters<Dialogs.HostAddressesDialog>
        {
            { d => d.HostId, Id }, { d => d.TunnelAddress, _host!.TunnelAddress }, { d => d.PeerAddress, _host.PeerAddress },
        };
        var dialog = await Dialogs.ShowAsync<Dialogs.HostAddressesDialog>("Addresses", parameters, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true });
        if (await dialog.Result is not { Canceled: false }) return;
        _all = await Store.ListAsync(_disposed.Token);
        _host = _all.FirstOrDefault(h => h.Id == Id);
        _ = Board.RefreshAsync(Id, cancellationToken: _disposed.Token);
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
