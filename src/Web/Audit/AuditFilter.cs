namespace Superbridge.Web.Audit;

/// <summary>What the audit page filters by; null fields match everything.</summary>
public sealed record AuditFilter(string? HostId = null, string? SegmentId = null, long? OperationId = null, int Limit = 500);
