using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;

namespace Superbridge.Web.Authentication;

/// <summary>
/// An open circuit outlives the request that opened it: every <see cref="RevalidationInterval"/> it asks whether its
/// sign-in session still stands (signed out elsewhere, password changed, expired). When not, the circuit's user becomes
/// anonymous and the router sends it to the login page.
/// </summary>
public sealed class SessionRevalidation(ILoggerFactory loggers, SignInSessionStore sessions)
    : RevalidatingServerAuthenticationStateProvider(loggers)
{
    private readonly ILogger _logger = loggers.CreateLogger<SessionRevalidation>();

    protected override TimeSpan RevalidationInterval => TimeSpan.FromSeconds(10);

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState state, CancellationToken cancellationToken)
    {
        var user = state.User;
        // API tokens do not open circuits; a cookie principal always carries its session.
        var active = await sessions.IsActiveAsync(user.FindFirstValue(SignInSession.ClaimType), user.Identity?.Name, cancellationToken);
        if (!active) _logger.LogInformation("The sign-in session of {User} has ended; its open page is signed out", user.Identity?.Name);
        return active;
    }
}
