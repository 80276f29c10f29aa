using Microsoft.AspNetCore.Components;
using MudBlazor;
using Superbridge.Web.Components.Dialogs;
using Superbridge.Web.Hosts;
using Superbridge.Web.Inventory;

namespace Superbridge.Web.Components.Pages;

/// <summary>The hosts with their live status; rows update one by one as refreshes answer.</summary>
public partial class Hosts : IAsyncDisposable
{
    private readonly CancellationTokenSource _disposed = new();
    private List<HostRow> _rows = [];
    private bool _loaded;
    private bool _refreshing;
    private Task? _watch;

    [Inject] public required HostStore Store { get; init; }
    [Inject] public required HostStatusBoard Board { get; init; }
    [Inject] public required IHostRegistrar Registrar { get; init; }
    [Inject] public required IDialogService Dialogs { get; init; }
    [Inject] public required ISnackbar Snackbar { get; init; }
    [Inject] public required TimeProvider Time { get; init; }

    private int RefreshDone => _rows.Count(r => !r.Status.IsRefreshing);
    private double RefreshPercent => _rows.Count == 0 ? 0 : 100.0 * RefreshDone / _rows.Count;

    protected override async Task OnInitializedAsync()
    {
        _watch = WatchAsync(_disposed.Token);
        await LoadAsync();
        _ = Board.RefreshUnknownAsync(_disposed.Token);
    }

    private async Task LoadAsync()
    {
        var hosts = await Store.ListAsync(_disposed.Token);
        _rows = [.. hosts.Select(h => HostRow.From(h, Board.Get(h.Id)))];
        _loaded = true;
    }

    private async Task WatchAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var status in Board.WatchAsync(cancellationToken))
            {
                await InvokeAsync(() =>
                {
                    var index = _rows.FindIndex(r => r.Id == status.HostId);
                    if (index >= 0)
                    {
                        _rows[index] = _rows[index] with { Status = status };
                        StateHasChanged();
                    }
                });
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task RefreshAllAsync()
    {
        _refreshing = true;
        try
        {
            var results = await Board.RefreshAllAsync(_disposed.Token);
            var offline = results.Count(r => r.State == HostState.Offline);
            Snackbar.Add(offline == 0 ? $"{results.Count} hosts refreshed" : $"{results.Count} hosts refreshed, {offline} offline",
                offline == 0 ? Severity.Success : Severity.Warning);
        }
        finally
        {
            _refreshing = false;
        }
    }

    private Task RefreshAsync(string id) => Board.RefreshAsync(id, cancellationToken: _disposed.Token);

    private async Task AddHostAsync()
    {
        var dialog = await Dialogs.ShowAsync<AddHostDialog>("Add host", new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true });
        var result = await dialog.Result;
        if (result is { Canceled: false, Data: StoredHost host })
        {
            await LoadAsync();
            _ = Board.RefreshAsync(host.Id, cancellationToken: _disposed.Token);
        }
    }

    private async Task DeleteAsync(HostRow row)
    {
        var parameters = new DialogParameters<ConfirmDialog>
        {
            { d => d.Title, $"Delete {row.Name}?" },
            { d => d.Message, $"The dashboard forgets {row.Name} ({row.Endpoint}) and its pinned host key." },
            { d => d.Detail, "Nothing on the host is changed: bridges, tunnels and containers stay as they are." },
        };
        var dialog = await Dialogs.ShowAsync<ConfirmDialog>($"Delete {row.Name}", parameters, new DialogOptions { MaxWidth = MaxWidth.ExtraSmall, FullWidth = true });
        var result = await dialog.Result;
        if (result is null || result.Canceled) return;
        var removal = await Registrar.RemoveAsync(row.Id, _disposed.Token);
        if (removal.Removed)
        {
            Board.Forget(row.Id);
            Snackbar.Add($"Host {row.Name} deleted", Severity.Success);
        }
        else if (removal.Refusal is { } why)
        {
            Snackbar.Add($"{row.Name} was not deleted: {why}", Severity.Warning);
        }
        await LoadAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _disposed.CancelAsync();
        if (_watch is not null) await _watch;
        _disposed.Dispose();
        GC.SuppressFinalize(this);
    }
}
