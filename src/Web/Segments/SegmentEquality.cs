using System.Text.Json;
using Superbridge.Core.Model;
using Superbridge.Web.Storage;

namespace Superbridge.Web.Segments;

/// <summary>Segments hold immutable arrays, whose record equality is by reference; compare their stored form instead.</summary>
public static class SegmentEquality
{
    public static bool Same(Segment a, Segment b) =>
        JsonSerializer.Serialize(a, StorageJson.Options) == JsonSerializer.Serialize(b, StorageJson.Options);
}
