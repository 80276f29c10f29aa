using System.Text.Json;
using Superbridge.Core.Model;

namespace Superbridge.Operations;

/// <summary>
/// A segment as the dashboard keeps it: what the operator wants now, what was last applied to the hosts, and the
/// version an operation started to apply but did not finish cleanly (interrupted, or its rollback failed), whose
/// pieces may be on the hosts. The difference between wanted and applied is what the next apply changes.
/// </summary>
public sealed record SegmentRecord(Segment Desired, Segment? Applied, Segment? Attempted = null)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Id => Desired.Spec.Name;

    public bool HasUnappliedChanges => Applied is null || !Same(Desired, Applied);

    /// <summary>Every host the segment names in any of its versions.</summary>
    public IEnumerable<HostId> Hosts => new[] { Desired, Applied, Attempted }.Where(s => s is not null).SelectMany(s => s!.Spec.Members).Distinct();

    /// <summary>Segments hold immutable arrays, whose record equality is by reference; compare their JSON form instead.</summary>
    public static bool Same(Segment a, Segment b) => JsonSerializer.Serialize(a, Json) == JsonSerializer.Serialize(b, Json);
}
