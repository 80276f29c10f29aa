using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;

namespace Superbridge.Web.Authentication;

/// <summary>Form posts of the sign-in page; cookies can only be set outside the interactive circuit.</summary>
public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/account/login", async (HttpContext http, AdminAccountStore store, [FromForm] string? username, [FromForm] string? password, [FromForm] string? returnUrl) =>
        {
            var target = SafeReturnUrl(returnUrl);
            var hash = string.IsNullOrEmpty(username) ? null : await store.GetPasswordHashAsync(username);
            if (hash is null || string.IsNullOrEmpty(password) || !PasswordHasher.Verify(password, hash))
            {
                return Results.Redirect($"/login?error=1&returnUrl={Uri.EscapeDataString(target)}");
            }
            var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, username!)], CookieAuthenticationDefaults.AuthenticationScheme);
            await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
            return Results.LocalRedirect(target);
        }).AllowAnonymous();

        endpoints.MapPost("/account/logout", async (HttpContext http) =>
        {
            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.LocalRedirect("/login");
        });
        return endpoints;
    }

    /// <summary>Only local paths: an open redirect after sign-in would hand the session to another site.</summary>
    internal static string SafeReturnUrl(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//") && !returnUrl.StartsWith("/\\")
            ? returnUrl
            : "/";
}
