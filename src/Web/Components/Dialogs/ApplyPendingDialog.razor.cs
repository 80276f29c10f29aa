using Superbridge.Operations;
using Superbridge.Ssh.Apply;
using Superbridge.Web.Segments;
using Superbridge.Web.Topology;

namespace Superbridge.Web.Components.Dialogs;

/// <summary>
/// Applies a segment as it is stored: shows the exact commands (its pending changes, or what went missing on the
/// hosts), then runs them with the live log. The change itself was made before (detach, router, attach).
/// </summary>
public partial class ApplyPendingDialog
{
    private ApplyStage _stage = ApplyStage.Preview;

    protected override async Task OnInitializedAsync()
    {
        if (await Data.SegmentAsync(SegmentId) is not { } record) return;
        await Data.EnsureObservedAsync(OperationPlanner.NextApply(record).Hosts.Select(h => h.Value));
        Draft = SegmentDraftPlanner.PreviewStored(record, await Data.SegmentsAsync(), await Data.HostsAsync());
    }

    private IAsyncEnumerable<ApplyEvent> RunApply(CancellationToken cancellationToken) =>
        RunAsUser((user, ct) => Runner.ApplyStoredAsync(SegmentId, Draft?.Fingerprint, user, ct), cancellationToken);
}
