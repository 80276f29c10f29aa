using System.Collections.Immutable;
using System.Globalization;
using Microsoft.AspNetCore.Components;
using Superbridge.Operations;
using Superbridge.Ssh.Apply;
using Superbridge.Web.Segments;

namespace Superbridge.Web.Components.Controls;

/// <summary>
/// How an operation ended. A rollback is shown plainly: a red "Rolled back" banner, the command that failed with its
/// exit code and error text, and every step that was undone, host by host.
/// </summary>
public partial class ApplyResultView
{
    [Parameter, EditorRequired] public required ApplyResult Result { get; set; }
    [Parameter] public ImmutableArray<string>? Drift { get; set; }
    [Parameter] public string? Class { get; set; }

    private string StatusName => OperationStatusNames.From(Result.Status, cancelled: false).Name();

    private string Operation => Result.Operation switch
    {
        SegmentOperationKind.Teardown => "Teardown",
        SegmentOperationKind.Change => "Change",
        SegmentOperationKind.RotateKey => "Key rotation",
        _ => "Apply",
    };

    private int Changed => Result.Hosts.Sum(h => h.ChangedSteps);
    private int Skipped => Result.Hosts.Sum(h => h.Steps.Count(s => s.Outcome == StepOutcome.Skipped));

    private string Duration
    {
        get
        {
            var seconds = (Result.FinishedAt - Result.StartedAt).TotalSeconds;
            return seconds <= 0 ? "" : string.Create(CultureInfo.InvariantCulture, $" in {seconds:0.0} s");
        }
    }

    private StepResult? FailedStep => Result.Hosts.SelectMany(h => h.Steps).FirstOrDefault(s => s.Outcome == StepOutcome.Failed);
}
