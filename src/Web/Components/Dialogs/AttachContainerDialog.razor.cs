using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using Superbridge.Core.Model;
using Superbridge.Operations;
using Superbridge.Ssh.Apply;
using Superbridge.Ssh.Inventory;
using Superbridge.Web.Segments;
using Superbridge.Web.Topology;

namespace Superbridge.Web.Components.Dialogs;

/// <summary>
/// Attaches a container (picked from its host's latest inventory) to the segment, applies it, then watches the
/// container until it shows an IPv4 address from the segment's DHCP range.
/// </summary>
public partial class AttachContainerDialog : IAsyncDisposable
{
    private readonly CancellationTokenSource _cancel = new();
    private SegmentRecord? _record;
    private IReadOnlyList<SegmentRecord> _segments = [];
    private KnownHosts _hosts = KnownHosts.Empty;
    private string? _host;
    private string? _container;
    private SegmentDraft? _draft;
    private ApplyStage _stage = ApplyStage.Edit;
    private ApplyLogModel? _finished;
    private bool _watching;
    private LeaseObservation? _lease;
    private Task? _watch;

    [CascadingParameter] public required IMudDialogInstance MudDialog { get; set; }
    [CascadingParameter] public Task<AuthenticationState>? Authentication { get; set; }

    [Parameter, EditorRequired] public required string SegmentId { get; set; }
    [Parameter] public string? HostId { get; set; }

    [Inject] public required TopologyData Data { get; init; }
    [Inject] public required ISegmentRunner Runner { get; init; }
    [Inject] public required LeaseWatcher Leases { get; init; }

    protected override async Task OnInitializedAsync()
    {
        _segments = await Data.SegmentsAsync();
        _record = _segments.FirstOrDefault(s => s.Id == SegmentId);
        if (_record is null) return;
        await Data.EnsureObservedAsync(_record.Desired.Spec.Members.Select(m => m.Value));
        _hosts = await Data.HostsAsync();
        SetHost(HostId ?? _record.Desired.Spec.Members.FirstOrDefault().Value);
    }

    private IReadOnlyList<InventoryContainer> Containers =>
        _host is null ? [] : [.. (_hosts.Status(_host).Inventory?.Containers ?? []).Where(c => !Attached(c.Name)).OrderBy(c => c.Name, StringComparer.Ordinal)];

    private bool Attached(string container) =>
        _record!.Desired.Spec.Attachments.Any(a => a.Host.Value == _host && a.Container == container);

    private void SetHost(string? host)
    {
        _host = host;
        SetContainer(Containers.FirstOrDefault()?.Name);
    }

    private void SetContainer(string? container)
    {
        _container = container;
        if (_host is null || _container is null)
        {
            _draft = null;
            return;
        }
        var spec = _record!.Desired.Spec;
        _draft = SegmentDraftPlanner.Preview(
            spec with { Attachments = spec.Attachments.Add(new AttachmentSpec(_host, _container)) }, _record, _segments, _hosts);
    }

    private string Path => $"attachments[{_record!.Desired.Spec.Attachments.Length}]";

    private string? ContainerError => _draft?.At($"{Path}.container").Concat(_draft.At($"{Path}.host")).Concat(_draft.At(Path)).FirstOrDefault()?.Message;

    private List<string> OtherErrors => _draft is null ? [] : [.. _draft.Errors.Where(e => !e.Path.StartsWith(Path, StringComparison.Ordinal)).Select(e => e.ToString())];

    private DhcpRange? Range => _record?.Desired.Spec.Router is { Mode: RouterMode.Gateway, DhcpRange: { } range } ? range : null;

    private string RangeText => Range is { } r ? $" in {r.Start}–{r.End}" : "";

    private async IAsyncEnumerable<ApplyEvent> RunApply([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var user = await DialogUser.NameAsync(Authentication);
        await foreach (var e in Runner.ApplyAsync(_draft!.Spec, create: false, _draft.Fingerprint, user, cancellationToken))
            yield return e;
    }

    private Task FinishedAsync(ApplyLogModel log)
    {
        _finished = log;
        if (log.Result?.Status == ApplyStatus.Succeeded)
        {
            _watching = true;
            _watch = WatchAsync(_cancel.Token);
        }
        return Task.CompletedTask;
    }

    /// <summary>Polls the host's inventory until the container shows an address in the range; stops when the dialog closes.</summary>
    private async Task WatchAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var look in Leases.WatchAsync(_host!, _container!, Range?.Start, Range?.End, cancellationToken))
            {
                await InvokeAsync(() =>
                {
                    _lease = look;
                    StateHasChanged();
                });
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        _watching = false;
    }

    public async ValueTask DisposeAsync()
    {
        await _cancel.CancelAsync();
        if (_watch is not null) await _watch;
        _cancel.Dispose();
        GC.SuppressFinalize(this);
    }
}
