using Microsoft.AspNetCore.Components.Authorization;

namespace Superbridge.Web.Components.Dialogs;

/// <summary>Who is running an operation, for the audit log.</summary>
internal static class DialogUser
{
    public static async Task<string> NameAsync(Task<AuthenticationState>? authentication) =>
        authentication is null ? "dashboard" : (await authentication).User.Identity?.Name ?? "dashboard";
}
