using System.Net.Http.Json;
using System.Net;
using Superbridge.Lab;
using Superbridge.Web.Tests.Support;
using static Superbridge.Web.Tests.Api.Operations.OperationsLab;

namespace Superbridge.Web.Tests.Api.Operations;

/// <summary>DELETE /api/operations/{id}: a running apply stops after its running step and rolls back.</summary>
[Collection("Lab")]
public sealed class CancelOperationTests(LabFixture fixture) : IAsyncLifetime
{
    private readonly LabEnvironment _lab = fixture.Lab;
    private readonly DashboardFactory _factory = new();
    private HttpClient _api = null!;

    public async Task InitializeAsync()
    {
        await RemoveLeftoversAsync(_lab, ["sbopse0"], [95]);
        _api = _factory.CreateApiClient();
        await RegisterHostsAsync(_api, _lab, 1, 2, 3);
    }

    public async Task DisposeAsync()
    {
        await TryTeardownAsync(_api, "opse");
        _api.Dispose();
        await _factory.DisposeAsync();
    }

    [Fact]
    public async Task Cancelling_a_running_apply_of_a_three_host_segment_ends_cancelled_with_the_hosts_as_before()
    {
        var before = await SnapshotAllAsync(_lab, [1, 2, 3]);
        await CreateSegmentAsync(_api, "opse", "sbopse0", "h1", "h2", "h3");
        await SetRouterAsync(_api, "opse", "h1", 95);
        await AttachAsync(_api, "opse", "h3", _lab.Host(3).Containers[0]);
        var id = await StartApplyAsync(_api, "opse");

        using var timeout = new CancellationTokenSource(OperationTimeout);
        HttpStatusCode? cancel = null;
        var seen = new List<string>();
        await foreach (var e in EventsAsync(_api, id, timeout.Token))
        {
            seen.Add(e.Name);
            if (e.Name == "step-succeeded" && cancel is null)
            {
                using var response = await _api.DeleteAsync($"/api/operations/{id}");
                cancel = response.StatusCode;
                Assert.True(cancel == HttpStatusCode.Accepted, $"cancel: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
        }
        Assert.True(cancel is not null, "no step succeeded: " + string.Join(", ", seen));

        var operation = await WaitAsync(_api, id);
        Assert.True(Status(operation) == "cancelled", operation.ToString());
        Assert.Contains("rollback-started", seen);
        await AssertHostsAsBeforeAsync(_lab, before);

        var segment = await _api.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/segments/opse");
        Assert.False(segment.GetProperty("applied").GetBoolean());
        Assert.Equal("cancelled", segment.GetProperty("lastOperation").GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await _api.DeleteAsync($"/api/operations/{id}")).StatusCode);
    }
}
