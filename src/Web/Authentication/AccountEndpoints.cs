using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;

namespace Superbridge.Web.Authentication;

/// <summary>Form posts of the sign-in and account pages; cookies can only be set outside the interactive circuit.</summary>
public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/account/login", async (HttpContext http, AdminAccountStore store, SignInThrottle throttle, SignInSessionStore sessions,
            [FromForm] string? username, [FromForm] string? password, [FromForm] string? returnUrl) =>
        {
            var target = SafeReturnUrl(returnUrl);
            var client = ClientOf(http);
            if (throttle.LockedFor(client) is { } wait) return LockedOut(target, wait);
            var hash = string.IsNullOrEmpty(username) ? null : await store.GetPasswordHashAsync(username);
            if (hash is null || string.IsNullOrEmpty(password) || !PasswordHasher.Verify(password, hash))
            {
                return throttle.Failed(client) is { } lockOut
                    ? LockedOut(target, lockOut)
                    : Results.Redirect($"/login?error=1&returnUrl={Uri.EscapeDataString(target)}");
            }
            throttle.Succeeded(client);
            await SignInAsync(http, sessions, username!);
            return Results.LocalRedirect(target);
        }).AllowAnonymous();

        endpoints.MapPost("/account/logout", async (HttpContext http, SignInSessionStore sessions) =>
        {
            await sessions.EndAsync(http.User.FindFirstValue(SignInSession.ClaimType));
            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.LocalRedirect("/login");
        });

        endpoints.MapPost("/account/password", async (HttpContext http, AdminAccountStore store, SignInSessionStore sessions, SignInThrottle throttle,
            [FromForm] string? current, [FromForm] string? password, [FromForm] string? confirm) =>
        {
            var user = http.User.Identity?.Name;
            var client = ClientOf(http);
            if (string.IsNullOrEmpty(user) || http.User.FindFirstValue(SignInSession.ClaimType) is null)
                return AccountError("sign in with the password to change it (an API token cannot)");
            if (throttle.LockedFor(client) is { } wait) return AccountError($"too many wrong passwords; try again in {Minutes(wait)}");
            var hash = await store.GetPasswordHashAsync(user);
            if (hash is null || string.IsNullOrEmpty(current) || !PasswordHasher.Verify(current, hash))
            {
                throttle.Failed(client);
                return AccountError("current: the current password is wrong");
            }
            if (AdminPasswordRules.Problem(password) is { } problem) return AccountError($"password: the new password {problem}");
            if (password != confirm) return AccountError("confirm: the two new passwords differ");
            await store.SetPasswordHashAsync(user, PasswordHasher.Hash(password!));
            // Every other browser signed in with the old password is signed out; this one gets a new session.
            await sessions.EndAllAsync(user);
            await SignInAsync(http, sessions, user);
            return Results.LocalRedirect("/account?changed=1");
        });
        return endpoints;
    }

    /// <summary>Only local paths: an open redirect after sign-in would hand the session to another site.</summary>
    internal static string SafeReturnUrl(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//") && !returnUrl.StartsWith("/\\")
            ? returnUrl
            : "/";

    private static async Task SignInAsync(HttpContext http, SignInSessionStore sessions, string user)
    {
        var session = await sessions.StartAsync(user);
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, user), new Claim(SignInSession.ClaimType, session.Id)],
            CookieAuthenticationDefaults.AuthenticationScheme);
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity),
            new AuthenticationProperties { ExpiresUtc = session.ExpiresAt, IsPersistent = false });
    }

    private static string ClientOf(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private static IResult LockedOut(string target, TimeSpan wait) =>
        Results.Redirect($"/login?error=locked&minutes={Math.Ceiling(wait.TotalMinutes).ToString(CultureInfo.InvariantCulture)}&returnUrl={Uri.EscapeDataString(target)}");

    private static IResult AccountError(string message) => Results.Redirect($"/account?error={Uri.EscapeDataString(message)}");

    private static string Minutes(TimeSpan wait) => $"{Math.Ceiling(wait.TotalMinutes).ToString(CultureInfo.InvariantCulture)} min";
}
