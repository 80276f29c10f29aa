using System.Text.Json;

namespace Superbridge.Web.Tests.Support;

/// <summary>The app's own OpenAPI document, read the way a client generator would.</summary>
internal sealed record OpenApiOperation(string Method, string Path, JsonElement Operation)
{
    public override string ToString() => $"{Method.ToUpperInvariant()} {Path}";
}

internal static class OpenApiDocument
{
    public const string Address = "/openapi/v1.json";

    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch"];

    public static async Task<JsonElement> FetchAsync(HttpClient client) =>
        JsonDocument.Parse(await client.GetStringAsync(Address)).RootElement.Clone();

    public static IEnumerable<OpenApiOperation> Operations(JsonElement document) =>
        from path in document.GetProperty("paths").EnumerateObject()
        from method in path.Value.EnumerateObject()
        where Methods.Contains(method.Name)
        select new OpenApiOperation(method.Name, path.Name, method.Value);

    /// <summary>The JSON schema of the operation's request body, <c>$ref</c>s resolved; none when it takes no JSON body.</summary>
    public static JsonElement? JsonRequestSchema(JsonElement document, OpenApiOperation operation) =>
        operation.Operation.TryGetProperty("requestBody", out var body)
        && body.GetProperty("content").TryGetProperty("application/json", out var json)
            ? Resolve(document, json.GetProperty("schema"))
            : null;

    public static JsonElement Resolve(JsonElement document, JsonElement schema)
    {
        if (!schema.TryGetProperty("$ref", out var reference)) return schema;
        var target = document;
        foreach (var part in reference.GetString()!.TrimStart('#', '/').Split('/'))
        {
            target = target.GetProperty(part);
        }
        return Resolve(document, target);
    }

    /// <summary>The schema's JSON types: <c>"type": "string"</c> or <c>"type": ["null", "string"]</c>.</summary>
    public static IReadOnlyList<string> Types(JsonElement schema) => !schema.TryGetProperty("type", out var type)
        ? []
        : type.ValueKind == JsonValueKind.Array ? [.. type.EnumerateArray().Select(t => t.GetString()!)] : [type.GetString()!];
}
