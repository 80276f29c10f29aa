using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Superbridge.Web.Tests.Support;

namespace Superbridge.Web.Tests.Api;

/// <summary>Requests no route handler answers still get problem+json from the API, never a page.</summary>
public sealed class ApiErrorResponsesTests : IClassFixture<DashboardFactory>
{
    private readonly DashboardFactory _factory;

    public ApiErrorResponsesTests(DashboardFactory factory) => _factory = factory;

    [Fact]
    public async Task An_unknown_api_path_answers_404_problem_json()
    {
        using var client = _factory.CreateApiClient();

        var response = await client.GetAsync("/api/does-not-exist");

        await AssertProblemAsync(HttpStatusCode.NotFound, response);
    }

    [Fact]
    public async Task A_wrong_method_answers_405_problem_json()
    {
        using var client = _factory.CreateApiClient();

        var response = await client.PatchAsync("/api/hosts", JsonContent.Create(new { }));

        await AssertProblemAsync(HttpStatusCode.MethodNotAllowed, response);
    }

    [Theory]
    [InlineData("/api/hosts")]
    [InlineData("/api/does-not-exist")]
    public async Task Without_a_token_the_api_answers_401_problem_json_not_the_sign_in_page(string path)
    {
        using var client = _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var response = await client.GetAsync(path);

        await AssertProblemAsync(HttpStatusCode.Unauthorized, response);
    }

    [Fact]
    public async Task A_null_inside_a_list_is_refused_naming_the_element()
    {
        using var client = _factory.CreateApiClient();

        var response = await client.PostAsync("/api/segments", Json("""{"name":"s1","hostIds":["h1",null]}"""));

        var errors = await AssertProblemAsync(HttpStatusCode.BadRequest, response);
        Assert.Equal("must be a string, not null", Assert.Single(errors.GetProperty("hostIds[1]").EnumerateArray()).GetString());
    }

    [Fact]
    public async Task A_value_of_the_wrong_type_is_refused_naming_the_field_and_the_type_it_takes()
    {
        using var client = _factory.CreateApiClient();

        var response = await client.PostAsync("/api/segments", Json("""{"name":"s1","mtu":"large"}"""));

        var errors = await AssertProblemAsync(HttpStatusCode.BadRequest, response);
        Assert.Equal("must be a whole number", Assert.Single(errors.GetProperty("mtu").EnumerateArray()).GetString());
    }

    [Fact]
    public async Task A_null_list_inside_links_is_refused_naming_its_position()
    {
        using var client = _factory.CreateApiClient();

        var response = await client.PostAsync("/api/segments", Json("""{"name":"s1","links":[["h1","h2"],null]}"""));

        var errors = await AssertProblemAsync(HttpStatusCode.BadRequest, response);
        Assert.Equal("must be a list", Assert.Single(errors.GetProperty("links[1]").EnumerateArray()).GetString());
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));

    /// <summary>Asserts a problem+json answer with <paramref name="status"/>; returns its <c>errors</c> member (undefined when it has none).</summary>
    private static async Task<JsonElement> AssertProblemAsync(HttpStatusCode status, HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        return problem.TryGetProperty("errors", out var errors) ? errors.Clone() : default;
    }
}
