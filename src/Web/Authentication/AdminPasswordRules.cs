namespace Superbridge.Web.Authentication;

/// <summary>What an admin password must be, wherever it is set (configuration or the account page).</summary>
public static class AdminPasswordRules
{
    public const int MinimumLength = 12;

    /// <summary>Why <paramref name="password"/> is refused, or null.</summary>
    public static string? Problem(string? password) =>
        string.IsNullOrEmpty(password) ? "is empty"
        : password.Length < MinimumLength ? $"has {password.Length} characters; at least {MinimumLength} are needed"
        : string.IsNullOrWhiteSpace(password) ? "is only spaces"
        : null;
}
