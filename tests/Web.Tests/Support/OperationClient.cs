using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Superbridge.Web.Tests.Support;

/// <summary>Apply and teardown as automation drives them: 202 with the operation, then wait on it until it ends.</summary>
internal static class OperationClient
{
    /// <summary>POST apply (with the previewed plan's fingerprint when given), then the finished operation.</summary>
    public static async Task<JsonElement> ApplyAndWaitAsync(this HttpClient api, string segment, string? planFingerprint = null)
    {
        var response = planFingerprint is null
            ? await api.PostAsync($"/api/segments/{segment}/apply", null)
            : await api.PostAsJsonAsync($"/api/segments/{segment}/apply", new { planFingerprint });
        return await WaitAcceptedAsync(api, response);
    }

    /// <summary>DELETE the segment (a teardown operation), then the finished operation.</summary>
    public static async Task<JsonElement> TeardownAndWaitAsync(this HttpClient api, string segment) =>
        await WaitAcceptedAsync(api, await api.DeleteAsync($"/api/segments/{segment}"));

    private static async Task<JsonElement> WaitAcceptedAsync(HttpClient api, HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode}: {body}");
        var location = response.Headers.Location ?? throw new InvalidOperationException("202 without Location");
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var operation = await api.GetFromJsonAsync<JsonElement>($"{location}/wait?timeout=60");
            if (operation.GetProperty("finished").GetBoolean()) return operation;
        }
        throw new TimeoutException($"operation {location} did not finish within 10 minutes");
    }
}
