using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Superbridge.Web.Authentication;

/// <summary>Every request with a cookie: its sign-in session must still stand, or the cookie is refused and removed.</summary>
public static class SessionCookieValidation
{
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var sessions = context.HttpContext.RequestServices.GetRequiredService<SignInSessionStore>();
        var user = context.Principal;
        if (await sessions.IsActiveAsync(user?.FindFirstValue(SignInSession.ClaimType), user?.Identity?.Name, context.HttpContext.RequestAborted)) return;
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
    }
}
