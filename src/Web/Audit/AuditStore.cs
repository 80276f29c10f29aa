using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Dapper;
using Superbridge.Web.Storage;

namespace Superbridge.Web.Audit;

/// <summary>The <c>audit</c> table: every command run on a host, under the operation it belonged to.</summary>
public sealed class AuditStore(SqliteConnectionFactory connections)
{
    public async Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync("""
            INSERT INTO audit (operation_id, host_id, user_name, at, argv_json, exit_code, stdout, stderr, duration_ms)
            VALUES (@OperationId, @HostId, @User, @At, @Argv, @ExitCode, @Stdout, @Stderr, @DurationMs)
            """, new
        {
            entry.OperationId,
            entry.HostId,
            entry.User,
            At = entry.At.ToString("O"),
            Argv = JsonSerializer.Serialize(entry.Argv),
            entry.ExitCode,
            entry.Stdout,
            entry.Stderr,
            entry.DurationMs,
        });
    }

    public async Task<IReadOnlyList<AuditEntry>> ListEntriesAsync(AuditFilter filter, CancellationToken cancellationToken = default)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<AuditRow>("""
            SELECT a.id AS Id, a.operation_id AS OperationId, a.host_id AS HostId, a.user_name AS User, a.at AS At,
                   a.argv_json AS Argv, a.exit_code AS ExitCode, a.stdout AS Stdout, a.stderr AS Stderr, a.duration_ms AS DurationMs
            FROM audit a LEFT JOIN operations o ON o.id = a.operation_id
            WHERE (@HostId IS NULL OR a.host_id = @HostId)
              AND (@SegmentId IS NULL OR o.segment_id = @SegmentId)
              AND (@OperationId IS NULL OR a.operation_id = @OperationId)
            ORDER BY a.id DESC
            LIMIT @Limit
            """, filter);
        return rows.Select(r => new AuditEntry(r.Id, r.OperationId, r.HostId, r.User, ParseTime(r.At),
            JsonSerializer.Deserialize<ImmutableArray<string>>(r.Argv), r.ExitCode is null ? null : (int)r.ExitCode,
            r.Stdout, r.Stderr, r.DurationMs)).ToList();
    }

    private static DateTimeOffset ParseTime(string value) => DateTimeOffset.Parse(value, CultureInfo.InvariantCulture);

    private sealed class AuditRow
    {
        public long Id { get; init; }
        public long? OperationId { get; init; }
        public string HostId { get; init; } = "";
        public string User { get; init; } = "";
        public string At { get; init; } = "";
        public string Argv { get; init; } = "[]";
        public long? ExitCode { get; init; }
        public string Stdout { get; init; } = "";
        public string Stderr { get; init; } = "";
        public long DurationMs { get; init; }
    }
}
