using System.Text.Json;
using System.Text.Json.Serialization;

namespace Superbridge.Core.Model;

/// <summary>
/// The stable name the dashboard gives a host. A struct, not a bare string, so a host id cannot be
/// passed where a device or container name is expected. Serialises as a plain JSON string (and as a
/// dictionary key), so stored segments stay readable.
/// </summary>
[JsonConverter(typeof(HostIdJsonConverter))]
public readonly record struct HostId(string Value) : IComparable<HostId>
{
    public int CompareTo(HostId other) => string.CompareOrdinal(Value, other.Value);
    public override string ToString() => Value ?? "";
    public static implicit operator HostId(string value) => new(value);
}

internal sealed class HostIdJsonConverter : JsonConverter<HostId>
{
    public override HostId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        new(reader.GetString() ?? throw new JsonException("A host id must be a string."));

    public override void Write(Utf8JsonWriter writer, HostId value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Value);

    public override HostId ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        new(reader.GetString() ?? throw new JsonException("A host id must be a string."));

    public override void WriteAsPropertyName(Utf8JsonWriter writer, HostId value, JsonSerializerOptions options) =>
        writer.WritePropertyName(value.Value);
}
