using System.Collections.Immutable;

namespace Superbridge.Web.Hosts;

/// <summary>Whether a host was forgotten, or why not: unknown, named by segments, or held by a running operation.</summary>
public sealed record HostRemoval(bool Removed, bool NotFound, ImmutableArray<string> UsedBy, bool Busy)
{
    public static HostRemoval Done { get; } = new(true, false, [], false);
    public static HostRemoval Missing { get; } = new(false, true, [], false);

    public string? Refusal => (UsedBy.IsEmpty, Busy) switch
    {
        (false, _) => $"the host is used by segment{(UsedBy.Length == 1 ? "" : "s")} {string.Join(", ", UsedBy)}: remove it from them or tear them down first",
        (true, true) => "an operation is running on the host; try again when it has finished",
        _ => null,
    };
}
