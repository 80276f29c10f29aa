using System.Text.Json;
using Dapper;
using Superbridge.Core.Allocation;
using Superbridge.Core.Model;
using Superbridge.Operations;
using Superbridge.Web.Storage;

namespace Superbridge.Web.Segments;

/// <summary>The <c>segments</c> table: each segment's wanted spec and allocation, and its applied and attempted versions, as JSON.</summary>
public sealed class SegmentStore(SqliteConnectionFactory connections, TimeProvider time) : ISegmentRepository
{
    private const string Columns = "spec_json AS Spec, allocation_json AS Allocation, applied_json AS Applied, attempted_json AS Attempted";

    public async Task<bool> AddAsync(Segment desired, CancellationToken cancellationToken = default)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var now = time.GetUtcNow().ToString("O");
        return await connection.ExecuteAsync("""
            INSERT INTO segments (id, spec_json, allocation_json, created_at, updated_at)
            VALUES (@id, @spec, @allocation, @now, @now)
            ON CONFLICT(id) DO NOTHING
            """, new { id = desired.Spec.Name, spec = Json(desired.Spec), allocation = Json(desired.Allocation), now }) == 1;
    }

    public async Task SaveDesiredAsync(Segment desired, CancellationToken cancellationToken = default)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var now = time.GetUtcNow().ToString("O");
        await connection.ExecuteAsync("""
            INSERT INTO segments (id, spec_json, allocation_json, created_at, updated_at)
            VALUES (@id, @spec, @allocation, @now, @now)
            ON CONFLICT(id) DO UPDATE SET spec_json = excluded.spec_json, allocation_json = excluded.allocation_json, updated_at = excluded.updated_at
            """, new { id = desired.Spec.Name, spec = Json(desired.Spec), allocation = Json(desired.Allocation), now });
    }

    public Task SaveAttemptedAsync(string id, Segment attempted, CancellationToken cancellationToken = default) =>
        UpdateAsync("attempted_json = @value", id, Json(attempted), cancellationToken);

    public async Task MarkAppliedAsync(Segment applied, CancellationToken cancellationToken = default) =>
        await UpdateAsync("applied_json = @value, attempted_json = NULL", applied.Spec.Name, Json(applied), cancellationToken);

    public Task ClearAttemptedAsync(string id, CancellationToken cancellationToken = default) =>
        UpdateAsync("attempted_json = @value", id, null, cancellationToken);

    private async Task UpdateAsync(string set, string id, string? value, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync($"UPDATE segments SET {set}, updated_at = @now WHERE id = @id",
            new { id, value, now = time.GetUtcNow().ToString("O") });
    }

    public async Task<IReadOnlyList<SegmentRecord>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>($"SELECT {Columns} FROM segments ORDER BY id");
        return rows.Select(ToRecord).ToList();
    }

    public async Task<SegmentRecord?> FindAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>($"SELECT {Columns} FROM segments WHERE id = @id", new { id });
        return row is null ? null : ToRecord(row);
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync("DELETE FROM segments WHERE id = @id", new { id }) == 1;
    }

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, StorageJson.Options);

    private static SegmentRecord ToRecord(Row row) => new(
        new Segment(
            JsonSerializer.Deserialize<SegmentSpec>(row.Spec, StorageJson.Options) ?? throw new InvalidDataException("segments.spec_json is null."),
            JsonSerializer.Deserialize<SegmentAllocation>(row.Allocation, StorageJson.Options) ?? throw new InvalidDataException("segments.allocation_json is null.")),
        row.Applied is null ? null : JsonSerializer.Deserialize<Segment>(row.Applied, StorageJson.Options),
        row.Attempted is null ? null : JsonSerializer.Deserialize<Segment>(row.Attempted, StorageJson.Options));

    private sealed record Row
    {
        public string Spec { get; init; } = "";
        public string Allocation { get; init; } = "";
        public string? Applied { get; init; }
        public string? Attempted { get; init; }
    }
}
