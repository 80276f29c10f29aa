namespace Superbridge.Web.Segments;

/// <summary>
/// <c>POST /api/segments/{id}/apply</c> (body optional): with <see cref="PlanFingerprint"/> from a preview, only that
/// exact plan runs; a plan that changed since is refused with <c>409</c> and the new plan.
/// </summary>
public sealed record ApplyRequest
{
    public string? PlanFingerprint { get; init; }
}
