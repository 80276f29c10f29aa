using Microsoft.AspNetCore.Components;
using MudBlazor;
using Superbridge.Operations;
using Superbridge.Ssh.Apply;
using Superbridge.Web.Topology;

namespace Superbridge.Web.Components.Controls;

/// <summary>
/// The live log of an apply or teardown: reads the operation's events as they happen, folds them with
/// <see cref="ApplyLogModel"/> and shows progress, each host's steps side by side, the rollback and the result.
/// Reading stops on dispose; the operation itself runs to its end.
/// </summary>
public partial class ApplyLog : IAsyncDisposable
{
    private readonly CancellationTokenSource _cancel = new();
    private Task? _reading;
    private string? _failure;

    /// <summary>Starts the operation; called once.</summary>
    [Parameter, EditorRequired] public required Func<CancellationToken, IAsyncEnumerable<ApplyEvent>> Run { get; set; }

    /// <summary>Raised once with the final state.</summary>
    [Parameter] public EventCallback<ApplyLogModel> OnFinished { get; set; }

    /// <summary>Words for what runs, e.g. "Applying lan1" or "Tearing down lan1".</summary>
    [Parameter] public string Action { get; set; } = "Applying";

    public ApplyLogModel Log { get; private set; } = ApplyLogModel.Empty;

    protected override void OnInitialized() => _reading = ReadAsync(_cancel.Token);

    private async Task ReadAsync(CancellationToken cancellationToken)
    {
        await Task.Yield();
        try
        {
            await foreach (var e in Run(cancellationToken).WithCancellation(cancellationToken))
            {
                await InvokeAsync(() =>
                {
                    Log = Log.With(e);
                    StateHasChanged();
                });
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return;
        }
        catch (Exception e)
        {
            // The operation's own failure (not the hosts'): shown, never swallowed.
            await InvokeAsync(() =>
            {
                _failure = $"The operation stopped unexpectedly: {e.Message}";
                StateHasChanged();
            });
        }
        await InvokeAsync(() => OnFinished.InvokeAsync(Log));
    }

    private string StatusText => Log switch
    {
        { Refusals.IsEmpty: false } => "Refused before any change",
        { Result: { } r } => r.Status switch
        {
            ApplyStatus.Succeeded => "Done",
            ApplyStatus.RolledBack => "Rolled back",
            ApplyStatus.Refused => "Refused before any change",
            _ => "Failed",
        },
        { IsRollingBack: true } => "Rolling back…",
        { TotalSteps: 0 } => $"{Action}: checking the hosts…",
        _ => $"{Action}: {Log.FinishedSteps} of {Log.TotalSteps} steps",
    };

    private Color ProgressColor => Log switch
    {
        { Refusals.IsEmpty: false } => Color.Error,
        { Result.Status: ApplyStatus.Succeeded } => Color.Success,
        { Result: not null } or { IsRollingBack: true } => Color.Error,
        _ => Color.Primary,
    };

    private static string Prefix(ApplyLogKind kind) => kind switch
    {
        ApplyLogKind.Undone or ApplyLogKind.UndoFailed or ApplyLogKind.NothingToUndo => "undo: ",
        _ => "",
    };

    private static string IconOf(ApplyLogKind kind) => kind switch
    {
        ApplyLogKind.Succeeded => Icons.Material.Filled.CheckCircle,
        ApplyLogKind.Skipped => Icons.Material.Outlined.CheckCircle,
        ApplyLogKind.Failed or ApplyLogKind.UndoFailed => Icons.Material.Filled.Cancel,
        ApplyLogKind.Undone => Icons.Material.Filled.Undo,
        _ => Icons.Material.Outlined.RemoveCircleOutline,
    };

    private static Color ColorOf(ApplyLogKind kind) => kind switch
    {
        ApplyLogKind.Succeeded => Color.Success,
        ApplyLogKind.Failed or ApplyLogKind.UndoFailed => Color.Error,
        ApplyLogKind.Undone => Color.Warning,
        _ => Color.Default,
    };

    public async ValueTask DisposeAsync()
    {
        await _cancel.CancelAsync();
        if (_reading is not null)
        {
            try { await _reading; } catch (OperationCanceledException) { }
        }
        _cancel.Dispose();
        GC.SuppressFinalize(this);
    }
}
