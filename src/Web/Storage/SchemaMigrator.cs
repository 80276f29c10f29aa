using Dapper;

namespace Superbridge.Web.Storage;

/// <summary>Applies pending migrations at start-up, each in its own transaction, and switches the database to WAL.</summary>
public sealed class SchemaMigrator(SqliteConnectionFactory connections, TimeProvider time, ILogger<SchemaMigrator> logger)
{
    public async Task<int> MigrateAsync(IReadOnlyList<SchemaMigration> migrations, CancellationToken cancellationToken = default)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        // WAL lets the UI read while an apply writes its audit log.
        await connection.ExecuteAsync("PRAGMA journal_mode = WAL;");
        await connection.ExecuteAsync("""
            CREATE TABLE IF NOT EXISTS schema_version (
                version    INTEGER PRIMARY KEY,
                name       TEXT NOT NULL,
                applied_at TEXT NOT NULL
            );
            """);
        var current = await connection.ExecuteScalarAsync<int?>("SELECT MAX(version) FROM schema_version") ?? 0;
        var applied = 0;
        foreach (var migration in migrations.Where(m => m.Version > current).OrderBy(m => m.Version))
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await connection.ExecuteAsync(migration.Sql, transaction: transaction);
            await connection.ExecuteAsync(
                "INSERT INTO schema_version (version, name, applied_at) VALUES (@Version, @Name, @AppliedAt)",
                new { migration.Version, migration.Name, AppliedAt = time.GetUtcNow().ToString("O") },
                transaction);
            await transaction.CommitAsync(cancellationToken);
            logger.LogInformation("Applied schema migration {Version} ({Name})", migration.Version, migration.Name);
            applied++;
        }
        return applied;
    }
}
