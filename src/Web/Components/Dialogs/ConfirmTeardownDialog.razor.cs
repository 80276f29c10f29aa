using Superbridge.Operations;
using Superbridge.Ssh.Apply;
using Superbridge.Web.Topology;

namespace Superbridge.Web.Components.Dialogs;

/// <summary>Shows what tearing a segment down runs, asks for its name typed out, then runs it with the live log.</summary>
public partial class ConfirmTeardownDialog
{
    private string? _typed;
    private ApplyStage _stage = ApplyStage.Edit;

    protected override async Task OnInitializedAsync()
    {
        if (await Data.SegmentAsync(SegmentId) is not { } record) return;
        await Data.EnsureObservedAsync(record.Hosts.Select(m => m.Value));
        Draft = SegmentDraftPlanner.PreviewTeardown(record, await Data.SegmentsAsync(), await Data.HostsAsync());
    }

    /// <summary>Exactly the segment's name: no trimming, no case folding.</summary>
    private bool Confirmed => _typed == SegmentId;

    private IAsyncEnumerable<ApplyEvent> RunTeardown(CancellationToken cancellationToken) =>
        RunAsUser((user, ct) => Runner.TeardownAsync(SegmentId, Draft?.Fingerprint, user, ct), cancellationToken);
}
