using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Superbridge.Web.Tests.Segments.Support;

namespace Superbridge.Web.Tests.Segments;

/// <summary>POST /api/segments/{id}/links/{hostA}/{hostB}/rotate-key refuses, naming the field, what it cannot rotate.</summary>
public sealed class KeyRotationApiTests : IAsyncLifetime
{
    private readonly ScriptedDashboard _dashboard = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _dashboard.DisposeAsync();

    private async Task CreateAppliedAsync(string encryption)
    {
        var created = await _dashboard.Api.PostAsJsonAsync("/api/segments", new { name = "lan", bridge = "sblan0", transport = "gretap", hostIds = new[] { "h1", "h2" }, encryption });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var started = JsonDocument.Parse(await (await _dashboard.Api.PostAsync("/api/segments/lan/apply", null)).Content.ReadAsStringAsync()).RootElement;
        var ended = await _dashboard.Api.GetFromJsonAsync<JsonElement>($"/api/operations/{started.GetProperty("id").GetInt64()}/wait?timeout=30");
        Assert.Equal("succeeded", ended.GetProperty("status").GetString());
    }

    private async Task<(HttpStatusCode Status, JsonElement Errors)> RotateAsync(string path)
    {
        using var response = await _dashboard.Api.PostAsync(path, null);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return (response.StatusCode, body.TryGetProperty("errors", out var errors) ? errors : default);
    }

    [Fact]
    public async Task Rotating_a_segment_that_is_not_encrypted_is_a_400_naming_encryption_and_nothing_is_queued()
    {
        await CreateAppliedAsync("none");

        var (status, errors) = await RotateAsync("/api/segments/lan/links/h1/h2/rotate-key");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("segment lan is not encrypted (encryption is none): it has no keys to rotate", errors.GetProperty("encryption")[0].GetString());
        var operations = await _dashboard.Api.GetFromJsonAsync<JsonElement>("/api/operations?segment=lan");
        Assert.Equal(["apply"], operations.EnumerateArray().Select(o => o.GetProperty("kind").GetString()));
    }

    [Fact]
    public async Task Rotating_hosts_that_share_no_key_is_a_400_naming_the_link_and_an_unknown_segment_a_404()
    {
        await CreateAppliedAsync("ipsec");

        var (status, errors) = await RotateAsync("/api/segments/lan/links/h1/h3/rotate-key");
        var (missing, _) = await RotateAsync("/api/segments/nope/links/h1/h2/rotate-key");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("h1 and h3 share no IPsec key in segment lan (its pairs: h1/h2)", errors.GetProperty("link")[0].GetString());
        Assert.Equal(HttpStatusCode.NotFound, missing);
    }
}
