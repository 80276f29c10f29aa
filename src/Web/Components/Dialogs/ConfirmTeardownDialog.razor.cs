using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using Superbridge.Ssh.Apply;
using Superbridge.Web.Topology;

namespace Superbridge.Web.Components.Dialogs;

/// <summary>Shows what tearing a segment down runs, asks for its name typed out, then runs it with the live log.</summary>
public partial class ConfirmTeardownDialog
{
    private SegmentDraft? _draft;
    private string? _typed;
    private ApplyStage _stage = ApplyStage.Edit;
    private ApplyLogModel? _finished;

    [CascadingParameter] public required IMudDialogInstance MudDialog { get; set; }
    [CascadingParameter] public Task<AuthenticationState>? Authentication { get; set; }

    [Parameter, EditorRequired] public required string SegmentId { get; set; }

    [Inject] public required TopologyData Data { get; init; }
    [Inject] public required ISegmentRunner Runner { get; init; }

    protected override async Task OnInitializedAsync()
    {
        if (await Data.SegmentAsync(SegmentId) is not { } record) return;
        await Data.EnsureObservedAsync(record.Desired.Spec.Members.Select(m => m.Value));
        _draft = SegmentDraftPlanner.PreviewTeardown(record, await Data.HostsAsync());
    }

    /// <summary>Exactly the segment's name: no trimming, no case folding.</summary>
    private bool Confirmed => _typed == SegmentId;

    private async IAsyncEnumerable<ApplyEvent> RunTeardown([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var user = await DialogUser.NameAsync(Authentication);
        await foreach (var e in Runner.TeardownAsync(SegmentId, user, cancellationToken))
            yield return e;
    }
}
