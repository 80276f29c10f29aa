using System.Collections.Immutable;
using Microsoft.AspNetCore.Components.Authorization;
using Superbridge.Operations;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using Superbridge.Core.Model;
using Superbridge.Core.Planning;
using Superbridge.Web.Components.Controls;
using Superbridge.Web.Components.Dialogs;
using Superbridge.Web.Drift;
using Superbridge.Web.Ipsec;
using Superbridge.Web.Segments;
using Superbridge.Web.Topology;

namespace Superbridge.Web.Components.Pages;

/// <summary>
/// One segment: members, tunnels with their paired values, their IPsec SAs when encrypted, router, uplinks, attached containers, MTU; the dialogs that change
/// it, detaching, and applying what changed (or what drifted) since the last apply.
/// </summary>
public partial class SegmentDetail
{
    private SegmentDetailView? _view;
    private KnownHosts _hosts = KnownHosts.Empty;
    private ImmutableArray<LinkSa>? _ipsec;
    private bool _loaded;
    private OperationRecord? _lastOperation;
    private bool _drifted;
    private bool _canApply;
    private ImmutableArray<IpsecPair> _pairs = [];
    private List<BreadcrumbItem> _breadcrumbs = [];

    [Parameter] public required string Id { get; set; }

    [CascadingParameter] public Task<AuthenticationState>? Authentication { get; set; }

    [Inject] public required TopologyData Data { get; init; }
    [Inject] public required IDialogService Dialogs { get; init; }
    [Inject] public required NavigationManager Navigation { get; init; }
    [Inject] public required SegmentService Segments { get; init; }
    [Inject] public required ISnackbar Snackbar { get; init; }

    protected override async Task OnParametersSetAsync()
    {
        _breadcrumbs = [new("Segments", href: "segments"), new(Id, href: null, disabled: true)];
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        var all = await Data.SegmentsAsync();
        var record = all.FirstOrDefault(s => s.Id == Id);
        var hosts = await Data.HostsAsync();
        _hosts = hosts;
        _view = record is null ? null : SegmentViews.Detail(record, all, hosts);
        _ipsec = record is null ? null : LinkSaBuilder.Build(record.Desired.Spec, hosts);
        _drifted = record is not null && HostDriftService.Drifted(record, hosts);
        _canApply = record is not null && (record.HasUnappliedChanges || _drifted || record.Attempted is not null);
        // Keys exist on the hosts only for the applied version.
        _pairs = record?.Applied is { } applied ? IpsecPair.Of(applied.Spec) : [];
        _lastOperation = record is null ? null : (await Segments.ListOperationsAsync(Id, 1)).FirstOrDefault();
        _loaded = true;
    }

    private async Task FollowedAsync(ApplyLogModel log)
    {
        await LoadAsync();
        if (await Data.SegmentAsync(Id) is null) Navigation.NavigateTo("segments");
    }

    private static readonly DialogOptions Wide = new() { MaxWidth = MaxWidth.Large, FullWidth = true, BackdropClick = false, CloseOnEscapeKey = false };

    private async Task RouterAsync(string host, RouterMode mode = RouterMode.Gateway)
    {
        var parameters = new DialogParameters<RouterDialog> { { d => d.SegmentId, Id }, { d => d.HostId, host }, { d => d.Mode, mode } };
        await ShowAsync<RouterDialog>($"Router for {Id}", parameters);
    }

    private async Task AttachAsync(string? host)
    {
        var parameters = new DialogParameters<AttachContainerDialog> { { d => d.SegmentId, Id }, { d => d.HostId, host } };
        await ShowAsync<AttachContainerDialog>($"Attach a container to {Id}", parameters);
    }

    private async Task TeardownAsync()
    {
        var parameters = new DialogParameters<ConfirmTeardownDialog> { { d => d.SegmentId, Id } };
        await ShowAsync<ConfirmTeardownDialog>($"Tear down {Id}", parameters);
        if (await Data.SegmentAsync(Id) is null) Navigation.NavigateTo("segments");
    }

    private Task RotateKeyAsync(IpsecPair pair) =>
        ShowAsync<RotateKeyDialog>($"Rotate the key of {pair.A} and {pair.B}",
            new DialogParameters<RotateKeyDialog> { { d => d.SegmentId, Id }, { d => d.Pair, pair } });

    private Task ApplyPendingAsync() =>
        ShowAsync<ApplyPendingDialog>($"Apply {Id}", new DialogParameters<ApplyPendingDialog> { { d => d.SegmentId, Id } });

    private async Task DetachAsync(AttachmentRow attachment)
    {
        if (await DetachConfirmation.RunAsync(Dialogs, Segments, Snackbar, Id, attachment.Host, attachment.Container, attachment.PreviousLink,
                await DialogUser.NameAsync(Authentication)))
            await LoadAsync();
    }

    /// <summary>Changes only the wanted state, like the other edits here: the hosts change when the pending changes are applied.</summary>
    private async Task SetEncryptionAsync(bool encrypt)
    {
        var outcome = await Segments.SetEncryptionAsync(Id, encrypt ? Encryption.Ipsec : Encryption.None, await DialogUser.NameAsync(Authentication));
        if (outcome.Value is not null)
            Snackbar.Add($"Encryption {(encrypt ? "on" : "off")} for {Id}: apply the pending changes to change its hosts", Severity.Info);
        else
            Snackbar.Add($"Encryption of {Id} was not changed: {(outcome.NotFound ? "the segment no longer exists" : string.Join("; ", outcome.Errors.Select(e => e.ToString())))}", Severity.Error);
        await LoadAsync();
    }

    private ImmutableArray<NicChoice>? NicsOf(string host) => _view is { } view ? UplinkChoices.For(view.Record.Desired.Spec, host, _hosts) : null;

    /// <summary>Changes only the wanted state, like the other edits here: the NIC joins the bridge when the pending changes are applied.</summary>
    private async Task AddUplinkAsync(UplinkSpec uplink)
    {
        var outcome = await Segments.AddUplinkAsync(Id, uplink, await DialogUser.NameAsync(Authentication));
        ReportUplink(outcome, $"{uplink.Interface} on {uplink.Host}", "added", "its host");
        await LoadAsync();
    }

    private async Task RemoveUplinkAsync(UplinkRow row)
    {
        var outcome = await Segments.RemoveUplinkAsync(Id, new UplinkSpec(row.Host, row.Interface), await DialogUser.NameAsync(Authentication));
        ReportUplink(outcome, $"{row.Interface} on {row.Host}", "removed", "its host (the NIC is released and stays up)");
        await LoadAsync();
    }

    private void ReportUplink(Outcome<SegmentRecord> outcome, string nic, string done, string where)
    {
        if (outcome.Value is not null)
            Snackbar.Add($"Uplink {nic} {done}: apply the pending changes to change {where}", Severity.Info);
        else
            Snackbar.Add($"Uplink {nic} was not {done}: {(outcome.NotFound ? "the segment no longer exists" : string.Join("; ", outcome.Errors.Select(e => e.ToString())))}", Severity.Error);
    }

    private static string PendingName(AttachmentChange change) => change switch
    {
        AttachmentChange.Attach => "attach",
        AttachmentChange.Detach => "detach",
        _ => "none",
    };

    private async Task ShowAsync<TDialog>(string title, DialogParameters parameters) where TDialog : IComponent
    {
        var dialog = await Dialogs.ShowAsync<TDialog>(title, parameters, Wide);
        ApplyOutcomeMessage.Show(Snackbar, title, await dialog.Result);
        await LoadAsync();
    }
}
