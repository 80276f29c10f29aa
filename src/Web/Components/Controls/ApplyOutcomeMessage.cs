using MudBlazor;
using Superbridge.Operations;
using Superbridge.Ssh.Apply;

namespace Superbridge.Web.Components.Controls;

/// <summary>
/// The one line a page shows as a snackbar when an apply dialog closes: the dialog itself holds the details, the
/// snackbar keeps the outcome in view after it is gone.
/// </summary>
public static class ApplyOutcomeMessage
{
    /// <summary>Null when the dialog was cancelled or closed before anything ran.</summary>
    public static (string Text, Severity Severity)? For(string action, DialogResult? result) =>
        result is { Canceled: false, Data: ApplyStatus status } ? For(action, status) : null;

    public static (string Text, Severity Severity) For(string action, ApplyStatus status) => status switch
    {
        ApplyStatus.Succeeded => ($"{action}: done", Severity.Success),
        ApplyStatus.RolledBack => ($"{action} failed and was rolled back on every host; the audit log has each command", Severity.Error),
        ApplyStatus.Refused => ($"{action} was refused before any command ran", Severity.Warning),
        _ => ($"{action} failed; the audit log has each command", Severity.Error),
    };

    public static void Show(ISnackbar snackbar, string action, DialogResult? result)
    {
        if (For(action, result) is { } message) snackbar.Add(message.Text, message.Severity);
    }
}
