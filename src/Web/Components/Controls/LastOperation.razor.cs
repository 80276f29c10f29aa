using Microsoft.AspNetCore.Components;
using MudBlazor;
using Superbridge.Operations;
using Superbridge.Web.Topology;

namespace Superbridge.Web.Components.Controls;

public partial class LastOperation
{
    [Parameter, EditorRequired] public required OperationRecord Operation { get; set; }

    /// <summary>Raised when the operation being followed ends (the page reloads what changed).</summary>
    [Parameter] public EventCallback<ApplyLogModel> OnFinished { get; set; }

    [Inject] public required ISegmentRunner Runner { get; init; }

    private string Action => Operation.Kind switch
    {
        SegmentOperationKind.Teardown => "Tearing down",
        SegmentOperationKind.RotateKey => "Rotating a key of",
        _ => "Applying",
    };

    private string Title => (Operation.Kind, Operation.Status.IsFinished()) switch
    {
        (SegmentOperationKind.Teardown, false) => "Teardown running",
        (SegmentOperationKind.RotateKey, false) => "Key rotation running",
        (_, false) => "Apply running",
        (SegmentOperationKind.Teardown, true) => "Last teardown",
        (SegmentOperationKind.RotateKey, true) => "Last key rotation",
        _ => "Last apply",
    };

    private Severity Severity => Operation.Status switch
    {
        OperationStatus.Succeeded => Severity.Success,
        OperationStatus.Queued or OperationStatus.Running => Severity.Info,
        OperationStatus.Failed or OperationStatus.Interrupted => Severity.Error,
        _ => Severity.Warning,
    };

    /// <summary>What to do when the hosts may be left partly changed.</summary>
    private string? Advice => Operation.Status switch
    {
        OperationStatus.Interrupted => SegmentService.InterruptedMessage,
        OperationStatus.Failed => $"{Operation.Error} Some undo steps could not run: apply again to converge, or tear down to remove whatever the plan may have created.",
        _ => null,
    };
}
