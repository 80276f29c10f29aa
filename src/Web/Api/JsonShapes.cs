using System.Collections;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;

namespace Superbridge.Web.Api;

/// <summary>
/// What JSON a request field takes, found through the same serializer metadata that binds the body,
/// so a refusal says "must be a whole number" instead of naming a .NET type.
/// </summary>
internal static partial class JsonShapes
{
    /// <summary>"must be …" for the value the field at <paramref name="fieldPath"/> (e.g. <c>links[1][0]</c>) of <paramref name="bodyType"/> takes.</summary>
    public static string Expected(JsonSerializerOptions options, Type bodyType, string fieldPath)
    {
        var type = bodyType;
        foreach (Match segment in PathSegment().Matches(fieldPath))
        {
            var info = options.GetTypeInfo(Nullable.GetUnderlyingType(type) ?? type);
            Type? next = segment.Groups["index"].Success
                ? info.ElementType
                : info.Properties.FirstOrDefault(p => p.Name == segment.Groups["name"].Value)?.PropertyType;
            if (next is null) return "is not valid here";
            type = next;
        }
        return $"must be {Describe(type)}";
    }

    public static string Describe(Type type)
    {
        var plain = Nullable.GetUnderlyingType(type) ?? type;
        if (plain == typeof(string)) return "a string";
        if (plain == typeof(bool)) return "true or false";
        if (plain == typeof(int) || plain == typeof(long) || plain == typeof(short) || plain == typeof(byte)) return "a whole number";
        if (plain == typeof(double) || plain == typeof(float) || plain == typeof(decimal)) return "a number";
        if (typeof(IEnumerable).IsAssignableFrom(plain)) return "a list";
        return "an object";
    }

    [GeneratedRegex(@"(?<name>[^.\[\]]+)|\[(?<index>\d+)\]")]
    private static partial Regex PathSegment();
}
