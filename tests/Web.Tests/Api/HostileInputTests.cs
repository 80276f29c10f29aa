using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Superbridge.Web.Tests.Support;

namespace Superbridge.Web.Tests.Api;

/// <summary>
/// Every route the OpenAPI document lists with a JSON body gets broken and mistyped input. Walking the document
/// means a route added later is covered without touching this test.
/// </summary>
public sealed partial class HostileInputTests : IClassFixture<DashboardFactory>
{
    private readonly DashboardFactory _factory;

    public HostileInputTests(DashboardFactory factory) => _factory = factory;

    /// <summary>A request body to send, and the error key the problem must name (null: any problem+json 4xx will do).</summary>
    private sealed record HostileBody(string Description, string Json, string? Field);

    [Fact]
    public async Task Every_json_body_route_refuses_hostile_input_with_a_4xx_problem_naming_the_field()
    {
        using var client = _factory.CreateApiClient();
        var document = await OpenApiDocument.FetchAsync(client);
        var walked = new List<string>();
        var failures = new List<string>();

        foreach (var operation in OpenApiDocument.Operations(document))
        {
            if (OpenApiDocument.JsonRequestSchema(document, operation) is not { } schema) continue;
            walked.Add(operation.ToString());
            var path = PathParameter().Replace(operation.Path, "nope");
            foreach (var body in HostileBodies(document, schema))
            {
                if (await Problem(client, operation.Method, path, body) is { } failure)
                {
                    failures.Add($"{operation} {body.Description}: {failure}");
                }
            }
        }

        Assert.Contains("POST /api/hosts", walked);
        Assert.Contains("POST /api/segments", walked);
        Assert.True(failures.Count == 0, $"{failures.Count} hostile bodies were not refused properly:\n{string.Join("\n", failures)}");
    }

    private static IEnumerable<HostileBody> HostileBodies(JsonElement document, JsonElement schema)
    {
        yield return new("malformed JSON", """{"name":""", "body");
        yield return new("an array instead of an object", "[]", "body");
        yield return new("a body over 1 MiB", $$"""{"name":"{{new string('x', 1024 * 1024)}}"}""", "body");
        if (!schema.TryGetProperty("properties", out var properties)) yield break;
        foreach (var property in properties.EnumerateObject())
        {
            var name = property.Name;
            var types = OpenApiDocument.Types(OpenApiDocument.Resolve(document, property.Value));
            var type = types.FirstOrDefault(t => t != "null");
            yield return new($"{name} of the wrong type", $$"""{"{{name}}":{{WrongValueFor(type)}}}""", name);
            // A nullable field may be null; the route must still answer a problem, not crash.
            yield return new($"{name} null", $$"""{"{{name}}":null}""", types.Contains("null") ? null : name);
            if (type == "array") yield return new($"{name} with a null element", $$"""{"{{name}}":[null]}""", $"{name}[0]");
        }
    }

    private static string WrongValueFor(string? type) => type switch
    {
        "string" => "5",
        "integer" or "number" or "boolean" => "\"five\"",
        "array" => "{}",
        _ => "[]",
    };

    /// <summary>What is wrong with the answer, or null when it is a 4xx problem+json naming the expected field.</summary>
    private static async Task<string?> Problem(HttpClient client, string method, string path, HostileBody body)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path)
        {
            Content = new StringContent(body.Json, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        using var response = await client.SendAsync(request);
        var status = (int)response.StatusCode;
        var contentType = response.Content.Headers.ContentType?.MediaType;
        var text = await response.Content.ReadAsStringAsync();
        if (status is < 400 or >= 500) return $"status {status}: {Shorten(text)}";
        if (contentType != "application/problem+json") return $"status {status} as {contentType ?? "no content type"}: {Shorten(text)}";
        if (body.Field is null) return null;
        using var problem = JsonDocument.Parse(text);
        return problem.RootElement.TryGetProperty("errors", out var errors) && errors.TryGetProperty(body.Field, out _)
            ? null
            : $"status {status} does not name {body.Field}: {Shorten(text)}";
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex PathParameter();
}
