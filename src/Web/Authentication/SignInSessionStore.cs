using System.Security.Cryptography;
using Dapper;
using Superbridge.Web.Storage;

namespace Superbridge.Web.Authentication;

/// <summary>
/// Server-side record of every signed-in browser. The cookie carries only the session's id: signing out, a password
/// change or the session's end makes the cookie worthless, and open circuits notice on their next revalidation.
/// </summary>
public sealed class SignInSessionStore(SqliteConnectionFactory connections, TimeProvider time)
{
    /// <summary>As long as the cookie lives; not sliding, so a stolen cookie dies on time.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);

    public async Task<SignInSession> StartAsync(string userName, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var session = new SignInSession(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), userName, now + Lifetime);
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            "INSERT INTO sessions (id, user_name, created_at, expires_at) VALUES (@Id, @UserName, @now, @expires)",
            new { session.Id, session.UserName, now = now.ToString("O"), expires = session.ExpiresAt.ToString("O") });
        return session;
    }

    /// <summary>Whether the session exists, belongs to <paramref name="userName"/> and has not ended.</summary>
    public async Task<bool> IsActiveAsync(string? id, string? userName, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(userName)) return false;
        await using var connection = await connections.OpenAsync(cancellationToken);
        var expires = await connection.ExecuteScalarAsync<string?>(
            "SELECT expires_at FROM sessions WHERE id = @id AND user_name = @userName", new { id, userName });
        return expires is not null && DateTimeOffset.Parse(expires, System.Globalization.CultureInfo.InvariantCulture) > time.GetUtcNow();
    }

    public async Task EndAsync(string? id, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(id)) return;
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync("DELETE FROM sessions WHERE id = @id OR expires_at < @now", new { id, now = time.GetUtcNow().ToString("O") });
    }

    /// <summary>Every session of the user: after a password change nobody stays signed in with the old one.</summary>
    public async Task EndAllAsync(string userName, CancellationToken cancellationToken = default)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync("DELETE FROM sessions WHERE user_name = @userName", new { userName });
    }
}

public sealed record SignInSession(string Id, string UserName, DateTimeOffset ExpiresAt)
{
    /// <summary>The claim that carries the session id in the cookie.</summary>
    public const string ClaimType = "superbridge:session";
}
