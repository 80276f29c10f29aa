using System.Text.Json;
using Superbridge.Web.Tests.Support;

namespace Superbridge.Web.Tests.OpenApi;

/// <summary>The published <c>/openapi/v1.json</c> is a valid document that tells clients about errors and the token.</summary>
public sealed class OpenApiDocumentTests : IClassFixture<DashboardFactory>
{
    private readonly DashboardFactory _factory;

    public OpenApiDocumentTests(DashboardFactory factory) => _factory = factory;

    [Fact]
    public async Task The_document_passes_an_independent_openapi_validator()
    {
        using var client = _factory.CreateClient();
        using var scratch = new TemporaryDirectory();
        var file = Path.Combine(scratch.Path, "openapi.json");
        await File.WriteAllTextAsync(file, await client.GetStringAsync(OpenApiDocument.Address));

        var (exitCode, output) = await OpenApiValidator.ValidateAsync(file);

        Assert.True(exitCode == 0, $"the validator refused the document (exit {exitCode}):\n{output}");
    }

    [Fact]
    public async Task Every_operation_that_takes_a_body_declares_a_400_problem_with_field_errors()
    {
        using var client = _factory.CreateClient();
        var document = await OpenApiDocument.FetchAsync(client);

        var withBody = OpenApiDocument.Operations(document).Where(o => OpenApiDocument.JsonRequestSchema(document, o) is not null).ToList();
        var undeclared = withBody.Where(o => !Declares400ValidationProblem(document, o)).Select(o => o.ToString()).ToList();

        Assert.NotEmpty(withBody);
        Assert.True(undeclared.Count == 0, $"no 400 validation problem declared on: {string.Join(", ", undeclared)}");
    }

    [Fact]
    public async Task The_bearer_scheme_is_declared_and_required_except_on_anonymous_routes()
    {
        using var client = _factory.CreateClient();
        var document = await OpenApiDocument.FetchAsync(client);

        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer");
        Assert.Equal("http", scheme.GetProperty("type").GetString());
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());
        var requirement = Assert.Single(document.GetProperty("security").EnumerateArray());
        Assert.True(requirement.TryGetProperty("bearer", out _), requirement.ToString());
        var health = document.GetProperty("paths").GetProperty("/api/health").GetProperty("get");
        Assert.Empty(health.GetProperty("security").EnumerateArray());
    }

    private static bool Declares400ValidationProblem(JsonElement document, OpenApiOperation operation) =>
        operation.Operation.GetProperty("responses").TryGetProperty("400", out var response)
        && response.GetProperty("content").TryGetProperty("application/problem+json", out var problem)
        && OpenApiDocument.Resolve(document, problem.GetProperty("schema")).GetProperty("properties").TryGetProperty("errors", out _);
}
