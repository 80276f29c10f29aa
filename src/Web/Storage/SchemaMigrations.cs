namespace Superbridge.Web.Storage;

/// <summary>
/// The schema history. Never edit a released migration: append a new one, so every existing
/// database is brought forward the same way.
/// </summary>
public static class SchemaMigrations
{
    public static IReadOnlyList<SchemaMigration> All { get; } =
    [
        new(1, "settings", """
            CREATE TABLE settings (
                key   TEXT PRIMARY KEY,
                value TEXT NOT NULL
            );
            """),
        new(2, "users", """
            CREATE TABLE users (
                name          TEXT PRIMARY KEY,
                password_hash TEXT NOT NULL,
                created_at    TEXT NOT NULL
            );
            """),
    ];
}
