using System.Text.Json;
using Dapper;
using Superbridge.Core.Allocation;
using Superbridge.Core.Model;
using Superbridge.Web.Storage;

namespace Superbridge.Web.Segments;

/// <summary>The <c>segments</c> table: each segment's spec and its allocated identifiers, as JSON.</summary>
public sealed class SegmentStore(SqliteConnectionFactory connections, TimeProvider time)
{
    /// <summary>Stores what the operator wants; what was last applied is kept as it was.</summary>
    public async Task SaveAsync(Segment segment, CancellationToken cancellationToken = default)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var now = time.GetUtcNow().ToString("O");
        await connection.ExecuteAsync("""
            INSERT INTO segments (id, spec_json, allocation_json, created_at, updated_at)
            VALUES (@id, @spec, @allocation, @now, @now)
            ON CONFLICT(id) DO UPDATE SET spec_json = excluded.spec_json, allocation_json = excluded.allocation_json, updated_at = excluded.updated_at
            """, new
        {
            id = segment.Spec.Name,
            spec = JsonSerializer.Serialize(segment.Spec, StorageJson.Options),
            allocation = JsonSerializer.Serialize(segment.Allocation, StorageJson.Options),
            now,
        });
    }

    /// <summary>Records that <paramref name="applied"/> is now what the hosts have.</summary>
    public async Task MarkAppliedAsync(Segment applied, CancellationToken cancellationToken = default)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            "UPDATE segments SET applied_json = @applied, updated_at = @now WHERE id = @id",
            new { id = applied.Spec.Name, applied = JsonSerializer.Serialize(applied, StorageJson.Options), now = time.GetUtcNow().ToString("O") });
    }

    public async Task<IReadOnlyList<Segment>> ListAsync(CancellationToken cancellationToken = default) =>
        (await ListRecordsAsync(cancellationToken)).Select(r => r.Desired).ToList();

    public async Task<IReadOnlyList<SegmentRecord>> ListRecordsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Spec, string Allocation, string? Applied)>(
            "SELECT spec_json, allocation_json, applied_json FROM segments ORDER BY id");
        return rows.Select(r => ToRecord(r.Spec, r.Allocation, r.Applied)).ToList();
    }

    public async Task<Segment?> FindAsync(string id, CancellationToken cancellationToken = default) =>
        (await FindRecordAsync(id, cancellationToken))?.Desired;

    public async Task<SegmentRecord?> FindRecordAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<(string Spec, string Allocation, string? Applied)?>(
            "SELECT spec_json, allocation_json, applied_json FROM segments WHERE id = @id", new { id });
        return row is { } r ? ToRecord(r.Spec, r.Allocation, r.Applied) : null;
    }

    private static SegmentRecord ToRecord(string spec, string allocation, string? applied) => new(
        FromJson(spec, allocation),
        applied is null ? null : JsonSerializer.Deserialize<Segment>(applied, StorageJson.Options));

    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync("DELETE FROM segments WHERE id = @id", new { id }) == 1;
    }

    private static Segment FromJson(string spec, string allocation) => new(
        JsonSerializer.Deserialize<SegmentSpec>(spec, StorageJson.Options) ?? throw new InvalidDataException("segments.spec_json is null."),
        JsonSerializer.Deserialize<SegmentAllocation>(allocation, StorageJson.Options) ?? throw new InvalidDataException("segments.allocation_json is null."));
}
