using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Superbridge.Web.Tests.Support;

namespace Superbridge.Web.Tests.Api;

public sealed class ApiAuthenticationTests : IClassFixture<DashboardFactory>
{
    private readonly DashboardFactory _factory;

    public ApiAuthenticationTests(DashboardFactory factory) => _factory = factory;

    [Fact]
    public async Task The_api_without_a_token_answers_401()
    {
        using var client = _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var response = await client.GetAsync("/api/hosts");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task The_api_with_a_wrong_token_answers_401()
    {
        using var client = _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "wrong-token-wrong-token");

        var response = await client.GetAsync("/api/hosts");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task The_api_with_the_configured_token_answers()
    {
        using var client = _factory.CreateApiClient();

        var response = await client.GetAsync("/api/hosts");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task With_no_token_configured_even_a_bearer_request_answers_401()
    {
        using var factory = new DashboardFactory().WithWebHostBuilder(b => b.UseSetting("Superbridge:ApiToken", ""));
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "");

        var response = await client.GetAsync("/api/hosts");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Health_and_the_openapi_document_need_no_token()
    {
        using var client = _factory.CreateClient();

        var health = await client.GetAsync("/api/health");
        var openApi = await client.GetStringAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Contains("/api/hosts", openApi);
    }
}
