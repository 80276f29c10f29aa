using System.Net.Http.Headers;

namespace Superbridge.Web.Tests.Support;

internal static class ApiClient
{
    /// <summary>An HTTP client for the in-process app carrying the configured API token.</summary>
    public static HttpClient CreateApiClient(this DashboardFactory factory)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", DashboardFactory.ApiToken);
        return client;
    }
}
