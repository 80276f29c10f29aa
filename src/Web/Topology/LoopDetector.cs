using Superbridge.Core.Validation;

namespace Superbridge.Web.Topology;

/// <summary>
/// Finds, among Core's validation errors, the one saying that links form a cycle. Core names the hosts around the
/// loop (<c>links h1–h2–h3–h1 form a cycle; remove a link or enable STP</c>); the dialog shows it as the reason.
/// </summary>
public static class LoopDetector
{
    public static string? Describe(IEnumerable<ValidationError> errors) =>
        errors.FirstOrDefault(e => e.Code == ErrorCode.Cycle)?.Message;
}
