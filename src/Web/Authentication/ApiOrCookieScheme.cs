using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Superbridge.Web.Authentication;

/// <summary>
/// The default scheme: the API token under <c>/api</c>, the sign-in cookie elsewhere. Requests no route claims
/// (an unknown <c>/api</c> path, a wrong method) then get a 401 or 404 instead of a redirect to the sign-in page.
/// </summary>
public static class ApiOrCookieScheme
{
    public const string Name = "ApiOrCookie";

    public static AuthenticationBuilder AddApiOrCookieScheme(this AuthenticationBuilder authentication) =>
        authentication.AddPolicyScheme(Name, displayName: null, policy => policy.ForwardDefaultSelector = context =>
            context.Request.Path.StartsWithSegments("/api") ? ApiTokenAuthenticationHandler.SchemeName : CookieAuthenticationDefaults.AuthenticationScheme);
}
