using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using Superbridge.Operations;
using Superbridge.Ssh.Apply;
using Superbridge.Web.Topology;

namespace Superbridge.Web.Components.Dialogs;

/// <summary>
/// What the dialogs that run a stored segment share: which segment, its plan, the end of its live log, and running it
/// as the signed-in user (for the audit log).
/// </summary>
public abstract class SegmentOperationDialog : ComponentBase
{
    [CascadingParameter] public required IMudDialogInstance MudDialog { get; set; }
    [CascadingParameter] public Task<AuthenticationState>? Authentication { get; set; }

    [Parameter, EditorRequired] public required string SegmentId { get; set; }

    [Inject] public required TopologyData Data { get; init; }
    [Inject] public required ISegmentRunner Runner { get; init; }

    protected SegmentDraft? Draft { get; set; }
    protected ApplyLogModel? Finished { get; set; }

    protected async IAsyncEnumerable<ApplyEvent> RunAsUser(
        Func<string, CancellationToken, IAsyncEnumerable<ApplyEvent>> operation, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var user = await DialogUser.NameAsync(Authentication);
        await foreach (var e in operation(user, cancellationToken))
            yield return e;
    }
}
