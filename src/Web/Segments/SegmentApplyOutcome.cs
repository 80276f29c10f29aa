using Superbridge.Operations;
using Superbridge.Ssh.Apply;
using Superbridge.Web.Validation;

namespace Superbridge.Web.Segments;

/// <summary>An apply or teardown as it ended, under its audit operation id; or why it could not start.</summary>
public sealed record SegmentApplyOutcome(long? OperationId, ApplyResult? Result, FieldErrors Errors, bool NotFound = false)
{
    public static SegmentApplyOutcome Missing { get; } = new(null, null, new FieldErrors(), NotFound: true);

    /// <summary>The API's words: succeeded, failed, rolled-back, refused.</summary>
    public static string StatusName(ApplyStatus status) => status switch
    {
        ApplyStatus.Succeeded => "succeeded",
        ApplyStatus.RolledBack => "rolled-back",
        ApplyStatus.Refused => "refused",
        _ => "failed",
    };
}
