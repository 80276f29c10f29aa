using Microsoft.Data.Sqlite;

namespace Superbridge.Web.Storage;

/// <summary>Opens connections to the dashboard's database with the pragmas every connection needs.</summary>
public sealed class SqliteConnectionFactory(DataDirectory dataDirectory)
{
    private readonly string _connectionString = new SqliteConnectionStringBuilder
    {
        DataSource = dataDirectory.DatabaseFile,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Cache = SqliteCacheMode.Shared,
        ForeignKeys = true,
    }.ToString();

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var pragma = connection.CreateCommand();
        // busy_timeout lets a writer wait for another instead of failing at once.
        pragma.CommandText = "PRAGMA busy_timeout = 5000;";
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }
}
