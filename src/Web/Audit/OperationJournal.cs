using System.Globalization;
using System.Text.Json;
using Dapper;
using Superbridge.Core.Model;
using Superbridge.Core.Planning;
using Superbridge.Operations;
using Superbridge.Web.Storage;

namespace Superbridge.Web.Audit;

/// <summary>
/// The <c>operations</c> table: every operation, stored when queued (kind, segment, user, the version of the segment
/// it takes the hosts to), its exact plan once planned, and how it ended with per-host results.
/// </summary>
public sealed class OperationJournal(SqliteConnectionFactory connections, TimeProvider time) : IOperationJournal
{
    private const string Columns = """
        o.id AS Id, o.kind AS Kind, o.segment_id AS SegmentId, o.user_name AS User, o.started_at AS QueuedAt,
        o.run_started_at AS StartedAt, o.ended_at AS EndedAt, o.status AS Status, o.error AS Error
        """;

    private const string FullColumns = Columns + ", o.target_json AS Target, o.plan_json AS Plan, o.plan_fingerprint AS PlanFingerprint, o.result_json AS Result";

    public async Task<OperationRecord> QueueAsync(SegmentOperationKind kind, string segmentId, string user, Segment? target, CancellationToken cancellationToken = default)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var id = await connection.ExecuteScalarAsync<long>("""
            INSERT INTO operations (kind, segment_id, user_name, started_at, status, target_json)
            VALUES (@kind, @segmentId, @user, @now, 'queued', @target);
            SELECT last_insert_rowid();
            """, new { kind = KindName(kind), segmentId, user, now = Now(), target = Json(target) });
        return (await FindAsync(id, cancellationToken))!;
    }

    public async Task MarkRunningAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync("UPDATE operations SET status = 'running', run_started_at = @now WHERE id = @id", new { id, now = Now() });
    }

    public async Task RecordPlanAsync(long id, Segment target, SegmentPlan plan, string fingerprint, CancellationToken cancellationToken = default)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            "UPDATE operations SET target_json = @target, plan_json = @plan, plan_fingerprint = @fingerprint WHERE id = @id",
            new { id, target = Json(target), plan = Json(plan), fingerprint });
    }

    public async Task FinishAsync(long id, OperationStatus status, ApplyResult? result, string? error, CancellationToken cancellationToken = default)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            "UPDATE operations SET status = @status, ended_at = @now, result_json = @result, error = @error WHERE id = @id",
            new { id, status = status.Name(), now = Now(), result = Json(result), error });
    }

    public async Task<IReadOnlyList<OperationRecord>> InterruptUnfinishedAsync(string error, CancellationToken cancellationToken = default)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var ids = (await connection.QueryAsync<long>("SELECT id FROM operations WHERE status IN ('queued', 'running')")).ToList();
        await connection.ExecuteAsync(
            "UPDATE operations SET status = 'interrupted', ended_at = @now, error = @error WHERE id IN @ids",
            new { ids, now = Now(), error });
        var interrupted = new List<OperationRecord>();
        foreach (var id in ids) interrupted.Add((await FindAsync(id, cancellationToken))!);
        return interrupted;
    }

    public async Task<OperationRecord?> FindAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>($"SELECT {FullColumns} FROM operations o WHERE o.id = @id", new { id });
        return row is null ? null : ToRecord(row);
    }

    public Task<IReadOnlyList<OperationRecord>> ListAsync(string? segmentId, int limit, CancellationToken cancellationToken = default) =>
        ListAsync(new AuditFilter(SegmentId: segmentId, Limit: limit), cancellationToken);

    /// <summary>Newest first, without plans and results (the audit page's list); filtered by segment, operation or a host it ran on.</summary>
    public async Task<IReadOnlyList<OperationRecord>> ListAsync(AuditFilter filter, CancellationToken cancellationToken = default)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>($"""
            SELECT {Columns}
            FROM operations o
            WHERE (@SegmentId IS NULL OR o.segment_id = @SegmentId)
              AND (@OperationId IS NULL OR o.id = @OperationId)
              AND (@HostId IS NULL OR EXISTS (SELECT 1 FROM audit a WHERE a.operation_id = o.id AND a.host_id = @HostId))
            ORDER BY o.id DESC
            LIMIT @Limit
            """, filter);
        return rows.Select(ToRecord).ToList();
    }

    /// <summary>The latest operation of each segment, for lists that show it beside the segment.</summary>
    public async Task<IReadOnlyDictionary<string, OperationRecord>> LatestBySegmentAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>($"""
            SELECT {Columns} FROM operations o
            WHERE o.id IN (SELECT MAX(id) FROM operations GROUP BY segment_id)
            """);
        return rows.Select(ToRecord).ToDictionary(r => r.SegmentId);
    }

    public static string KindName(SegmentOperationKind kind) => kind switch
    {
        SegmentOperationKind.Apply => "apply",
        SegmentOperationKind.Teardown => "teardown",
        SegmentOperationKind.RotateKey => "rotate-key",
        _ => "change",
    };

    private static SegmentOperationKind ParseKind(string kind) => kind switch
    {
        "teardown" => SegmentOperationKind.Teardown,
        "change" => SegmentOperationKind.Change,
        "rotate-key" => SegmentOperationKind.RotateKey,
        _ => SegmentOperationKind.Apply,
    };

    private string Now() => time.GetUtcNow().ToString("O");

    private static string? Json<T>(T? value) where T : class => value is null ? null : JsonSerializer.Serialize(value, StorageJson.Options);

    private static T? FromJson<T>(string? json) where T : class => json is null ? null : JsonSerializer.Deserialize<T>(json, StorageJson.Options);

    private static DateTimeOffset? Time(string? value) => value is null ? null : DateTimeOffset.Parse(value, CultureInfo.InvariantCulture);

    private static OperationRecord ToRecord(Row row) => new()
    {
        Id = row.Id,
        Kind = ParseKind(row.Kind),
        SegmentId = row.SegmentId ?? "",
        User = row.User,
        Status = OperationStatusNames.Parse(row.Status),
        QueuedAt = Time(row.QueuedAt)!.Value,
        StartedAt = Time(row.StartedAt),
        EndedAt = Time(row.EndedAt),
        Error = row.Error,
        Target = FromJson<Segment>(row.Target),
        Plan = FromJson<SegmentPlan>(row.Plan),
        PlanFingerprint = row.PlanFingerprint,
        Result = FromJson<ApplyResult>(row.Result),
    };

    private sealed record Row
    {
        public long Id { get; init; }
        public string Kind { get; init; } = "";
        public string? SegmentId { get; init; }
        public string User { get; init; } = "";
        public string QueuedAt { get; init; } = "";
        public string? StartedAt { get; init; }
        public string? EndedAt { get; init; }
        public string Status { get; init; } = "";
        public string? Error { get; init; }
        public string? Target { get; init; }
        public string? Plan { get; init; }
        public string? PlanFingerprint { get; init; }
        public string? Result { get; init; }
    }
}
