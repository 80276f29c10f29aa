using Superbridge.Operations;
using Microsoft.AspNetCore.Components;
using Superbridge.Web.Audit;
using Superbridge.Web.Components.Controls;
using Superbridge.Web.Hosts;
using Superbridge.Web.Segments;

namespace Superbridge.Web.Components.Pages;

/// <summary>Operations with their commands, filtered by host and segment, newest first.</summary>
public partial class Audit
{
    public const int AuditLimit = 200;

    private readonly HashSet<long> _expanded = [];
    private readonly Dictionary<long, IReadOnlyList<AuditEntry>> _commands = [];
    private IReadOnlyList<OperationRecord> _operations = [];
    private IReadOnlyList<AuditEntry> _allCommands = [];
    private IReadOnlyList<string> _hosts = [];
    private IReadOnlyList<string> _segments = [];
    private string? _hostFilter;
    private string? _segmentFilter;
    private bool _loaded;

    [Inject] public required AuditStore Store { get; init; }
    [Inject] public required OperationJournal Journal { get; init; }
    [Inject] public required HostStore Hosts { get; init; }
    [Inject] public required SegmentStore Segments { get; init; }
    [Inject] public required TimeProvider Time { get; init; }

    private bool Filtered => _hostFilter is not null || _segmentFilter is not null;

    protected override async Task OnInitializedAsync()
    {
        _hosts = [.. (await Hosts.ListAsync()).Select(h => h.Id)];
        _segments = [.. (await Segments.ListAsync()).Select(s => s.Id)];
        await LoadAsync();
    }

    /// <summary>"1.2 s", "running for 5 min 3 s" while it has not ended, or "queued for 4 s" before it started.</summary>
    public static string OperationDuration(OperationRecord operation, DateTimeOffset now) =>
        (operation.EndedAt, operation.StartedAt) switch
        {
            ({ } ended, var started) => DisplayFormat.Duration(ended - (started ?? operation.QueuedAt)),
            (null, { } started) => $"running for {DisplayFormat.Duration(now - started)}",
            _ => $"queued for {DisplayFormat.Duration(now - operation.QueuedAt)}",
        };

    private AuditFilter Filter(long? operationId = null) => new(_hostFilter, _segmentFilter, operationId, AuditLimit);

    private async Task LoadAsync()
    {
        _operations = await Journal.ListAsync(Filter());
        _allCommands = await Store.ListEntriesAsync(Filter());
        _commands.Clear();
        foreach (var id in _expanded.ToList())
        {
            if (_operations.Any(o => o.Id == id)) _commands[id] = await Store.ListEntriesAsync(Filter(id));
            else _expanded.Remove(id);
        }
        _loaded = true;
    }

    private bool IsExpanded(long id) => _expanded.Contains(id);

    private async Task ToggleAsync(long id)
    {
        if (_expanded.Remove(id)) return;
        _expanded.Add(id);
        _commands[id] = await Store.ListEntriesAsync(Filter(id));
    }

    private async Task HostFilterChangedAsync(string? host)
    {
        _hostFilter = host;
        await LoadAsync();
    }

    private async Task SegmentFilterChangedAsync(string? segment)
    {
        _segmentFilter = segment;
        await LoadAsync();
    }
}
