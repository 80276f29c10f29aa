using Microsoft.Extensions.Options;
using Superbridge.Web.Configuration;

namespace Superbridge.Web.Authentication;

/// <summary>
/// Makes sure the admin account exists. With a password configured, that one is used; otherwise a
/// strong one is generated on the first start, stored hashed, and printed once to the console.
/// </summary>
public sealed class AdminAccountInitializer(AdminAccountStore store, IOptions<SuperbridgeOptions> options, ILogger<AdminAccountInitializer> logger)
{
    public async Task<string?> EnsureAdminAsync(TextWriter console, CancellationToken cancellationToken = default)
    {
        var configured = options.Value.AdminPassword;
        var existing = await store.GetPasswordHashAsync(AdminAccountStore.AdminUserName, cancellationToken);
        if (!string.IsNullOrEmpty(configured))
        {
            if (AdminPasswordRules.Problem(configured) is { } problem)
                throw new InvalidOperationException($"Superbridge:AdminPassword {problem}.");
            if (existing is null || !PasswordHasher.Verify(configured, existing))
            {
                await store.SetPasswordHashAsync(AdminAccountStore.AdminUserName, PasswordHasher.Hash(configured), cancellationToken);
                logger.LogInformation("Admin password set from Superbridge:AdminPassword");
            }
            return null;
        }
        if (existing is not null)
        {
            return null;
        }
        var generated = PasswordHasher.GenerateStrongPassword();
        await store.SetPasswordHashAsync(AdminAccountStore.AdminUserName, PasswordHasher.Hash(generated), cancellationToken);
        // Printed to the console, not the log, so it is shown once and not kept in log files.
        await console.WriteLineAsync($"""

            Superbridge first start: sign in as '{AdminAccountStore.AdminUserName}' with password: {generated}
            This is shown once. Set Superbridge:AdminPassword to choose your own.

            """);
        return generated;
    }
}
