using Dapper;
using Superbridge.Web.Storage;

namespace Superbridge.Web.Authentication;

/// <summary>The local admin account: one row in <c>users</c>, its password stored hashed only.</summary>
public sealed class AdminAccountStore(SqliteConnectionFactory connections, TimeProvider time)
{
    public const string AdminUserName = "admin";

    public async Task<string?> GetPasswordHashAsync(string userName, CancellationToken cancellationToken = default)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<string?>(
            "SELECT password_hash FROM users WHERE name = @userName", new { userName });
    }

    public async Task SetPasswordHashAsync(string userName, string passwordHash, CancellationToken cancellationToken = default)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync("""
            INSERT INTO users (name, password_hash, created_at) VALUES (@userName, @passwordHash, @now)
            ON CONFLICT(name) DO UPDATE SET password_hash = excluded.password_hash
            """, new { userName, passwordHash, now = time.GetUtcNow().ToString("O") });
    }
}
