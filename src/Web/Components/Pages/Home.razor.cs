using Superbridge.Operations;
using Microsoft.AspNetCore.Components;
using Superbridge.Web.Audit;
using Superbridge.Web.Hosts;
using Superbridge.Web.Inventory;
using Superbridge.Web.Segments;

namespace Superbridge.Web.Components.Pages;

/// <summary>The landing page: hosts online/offline, segment count, the latest operations.</summary>
public partial class Home : IAsyncDisposable
{
    public const int RecentOperations = 6;

    private readonly CancellationTokenSource _disposed = new();
    private List<HostRow> _rows = [];
    private HostSummary _summary = HostSummary.Of([]);
    private int _segmentCount;
    private IReadOnlyList<OperationRecord> _operations = [];
    private bool _loaded;
    private Task? _watch;

    [Inject] public required HostStore Hosts { get; init; }
    [Inject] public required SegmentStore Segments { get; init; }
    [Inject] public required OperationJournal Journal { get; init; }
    [Inject] public required HostStatusBoard Board { get; init; }
    [Inject] public required TimeProvider Time { get; init; }

    protected override async Task OnInitializedAsync()
    {
        _watch = WatchAsync(_disposed.Token);
        _rows = [.. (await Hosts.ListAsync(_disposed.Token)).Select(h => HostRow.From(h, Board.Get(h.Id)))];
        _summary = HostSummary.Of(_rows.Select(r => r.Status));
        _segmentCount = (await Segments.ListAsync(_disposed.Token)).Count;
        _operations = await Journal.ListAsync(new AuditFilter(Limit: RecentOperations), _disposed.Token);
        _loaded = true;
        _ = Board.RefreshUnknownAsync(_disposed.Token);
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
                    if (index < 0) return;
                    _rows[index] = _rows[index] with { Status = status };
                    _summary = HostSummary.Of(_rows.Select(r => r.Status));
                    StateHasChanged();
                });
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _disposed.CancelAsync();
        if (_watch is not null) await _watch;
        _disposed.Dispose();
        GC.SuppressFinalize(this);
    }
}
