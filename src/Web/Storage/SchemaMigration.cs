namespace Superbridge.Web.Storage;

/// <summary>One numbered, append-only step of the database schema.</summary>
public sealed record SchemaMigration(int Version, string Name, string Sql);
