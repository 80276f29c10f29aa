using System.Net.Http.Headers;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Superbridge.Web.Tests.Support;

internal static class ApiClient
{
    /// <summary>An HTTP client for the in-process app carrying the configured API token.</summary>
    public static HttpClient CreateApiClient(this WebApplicationFactory<Program> factory)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", DashboardFactory.ApiToken);
        return client;
    }
}
