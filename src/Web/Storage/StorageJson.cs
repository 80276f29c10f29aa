using System.Text.Json;
using System.Text.Json.Serialization;

namespace Superbridge.Web.Storage;

/// <summary>The one JSON shape used for model records stored in columns: camelCase, enums as their wire names.</summary>
public static class StorageJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
