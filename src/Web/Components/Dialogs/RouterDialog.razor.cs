using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using Superbridge.Core.Model;
using Superbridge.Operations;
using Superbridge.Ssh.Apply;
using Superbridge.Web.Segments;
using Superbridge.Web.Topology;

namespace Superbridge.Web.Components.Dialogs;

/// <summary>
/// Makes a member the segment's router (DHCP gateway with optional NAT, or an external router's interface), or moves
/// it: prefilled with the segment's current settings or the next free /24; Core checks every field on each change;
/// the plan shows the old router's side torn down.
/// </summary>
public partial class RouterDialog
{
    private SegmentRecord? _record;
    private IReadOnlyList<SegmentRecord> _segments = [];
    private KnownHosts _hosts = KnownHosts.Empty;
    private RouterForm? _form;
    private SegmentDraft? _draft;
    private ApplyStage _stage = ApplyStage.Edit;
    private ApplyLogModel? _finished;

    [CascadingParameter] public required IMudDialogInstance MudDialog { get; set; }
    [CascadingParameter] public Task<AuthenticationState>? Authentication { get; set; }

    [Parameter, EditorRequired] public required string SegmentId { get; set; }
    /// <summary>The member to make the router.</summary>
    [Parameter, EditorRequired] public required string HostId { get; set; }
    [Parameter] public RouterMode Mode { get; set; } = RouterMode.Gateway;

    [Inject] public required TopologyData Data { get; init; }
    [Inject] public required ISegmentRunner Runner { get; init; }

    protected override async Task OnInitializedAsync()
    {
        _segments = await Data.SegmentsAsync();
        _record = _segments.FirstOrDefault(s => s.Id == SegmentId);
        if (_record is null) return;
        await Data.EnsureObservedAsync(_record.Desired.Spec.Members.Select(m => m.Value));
        _hosts = await Data.HostsAsync();
        Change(RouterForm.For(_record, HostId, _segments.Select(s => s.Desired)) with { Mode = Mode });
    }

    private bool Moving => _record?.Applied?.Spec.Router is { } applied && _form is not null && applied.Host.Value != _form.Host;

    private void Change(RouterForm form)
    {
        _form = form;
        _draft = form.Preview(_record!, _segments, _hosts);
    }

    private string? Error(string path) => _draft?.At(path).FirstOrDefault()?.Message;

    private string? RangeError(string end) => Error($"router.dhcpRange.{end}") ?? (end == "start" ? Error("router.dhcpRange") : null);

    private static readonly HashSet<string> Shown =
    [
        "router.host", "router.gateway", "router.dhcpRange", "router.dhcpRange.start", "router.dhcpRange.end", "router.leaseTime",
        "router.natOutInterface", "router.externalInterface",
    ];

    private List<string> OtherErrors => _draft is null ? [] : [.. _draft.Errors.Where(e => !Shown.Contains(e.Path)).Select(e => e.ToString())];

    private async IAsyncEnumerable<ApplyEvent> RunApply([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var user = await DialogUser.NameAsync(Authentication);
        await foreach (var e in Runner.ApplyAsync(_draft!.Spec, create: false, _draft.Fingerprint, user, cancellationToken))
            yield return e;
    }
}
