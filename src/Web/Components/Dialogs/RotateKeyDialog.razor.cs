using Microsoft.AspNetCore.Components;
using Superbridge.Core.Planning;
using Superbridge.Operations;
using Superbridge.Web.Topology;

namespace Superbridge.Web.Components.Dialogs;

/// <summary>Shows what rotating one IPsec pair's key runs (both ends' key files, then a re-authentication), then runs it with the live log.</summary>
public partial class RotateKeyDialog
{
    private ApplyStage _stage = ApplyStage.Preview;

    [Parameter, EditorRequired] public required IpsecPair Pair { get; set; }

    protected override async Task OnInitializedAsync()
    {
        if (await Data.SegmentAsync(SegmentId) is not { } record) return;
        await Data.EnsureObservedAsync(record.Hosts.Select(h => h.Value));
        Draft = SegmentDraftPlanner.PreviewKeyRotation(record, Pair, await Data.SegmentsAsync(), await Data.HostsAsync());
    }

    private IAsyncEnumerable<ApplyEvent> RunRotation(CancellationToken cancellationToken) =>
        RunAsUser((user, ct) => Runner.RotateKeyAsync(SegmentId, Pair, Draft?.Fingerprint, user, ct), cancellationToken);
}
