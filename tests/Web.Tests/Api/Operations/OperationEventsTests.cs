using System.Text.Json;
using Superbridge.Lab;
using Superbridge.Web.Tests.Support;
using static Superbridge.Web.Tests.Api.Operations.OperationsLab;

namespace Superbridge.Web.Tests.Api.Operations;

/// <summary>GET /api/operations/{id}/events: the operation's whole story as Server-Sent Events, live or after the fact.</summary>
[Collection("Lab")]
public sealed class OperationEventsTests(LabFixture fixture) : IAsyncLifetime
{
    private readonly LabEnvironment _lab = fixture.Lab;
    private readonly DashboardFactory _factory = new();
    private HttpClient _api = null!;

    public async Task InitializeAsync()
    {
        await RemoveLeftoversAsync(_lab, ["sbopsf0"], []);
        _api = _factory.CreateApiClient();
        await RegisterHostsAsync(_api, _lab, 1, 2);
    }

    public async Task DisposeAsync()
    {
        await TryTeardownAsync(_api, "opsf");
        _api.Dispose();
        await _factory.DisposeAsync();
    }

    [Fact]
    public async Task Events_of_an_apply_run_from_plan_ready_through_steps_to_completed_and_the_operation_and_replay_after_it_ended()
    {
        await CreateSegmentAsync(_api, "opsf", "sbopsf0", "h1", "h2");
        var id = await StartApplyAsync(_api, "opsf");

        using var timeout = new CancellationTokenSource(OperationTimeout);
        var live = new List<(string Name, JsonElement Data)>();
        await foreach (var e in EventsAsync(_api, id, timeout.Token)) live.Add(e);
        var names = live.Select(e => e.Name).ToList();
        var story = string.Join(", ", names);

        Assert.Equal("plan-ready", names[0]);
        Assert.True(live[0].Data.GetProperty("plan").GetProperty("hosts").GetArrayLength() == 2, story);
        Assert.Contains("step-started", names);
        Assert.Contains("step-succeeded", names);
        Assert.All(names.Where(n => n.StartsWith("step-", StringComparison.Ordinal)), n => Assert.Contains(n, new[] { "step-started", "step-succeeded", "step-skipped" }));
        Assert.True(names.IndexOf("completed") == names.Count - 2, story);
        Assert.Equal("succeeded", live[^2].Data.GetProperty("status").GetString());
        Assert.Equal("operation", names[^1]);
        Assert.Equal(id, live[^1].Data.GetProperty("id").GetInt64());
        Assert.Equal("succeeded", Status(live[^1].Data));
        Assert.True(live[^1].Data.GetProperty("finished").GetBoolean());
        var firstStep = names.FindIndex(n => n.StartsWith("step-", StringComparison.Ordinal));
        Assert.True(firstStep > 0, story);

        var replay = new List<(string Name, JsonElement Data)>();
        await foreach (var e in EventsAsync(_api, id, timeout.Token)) replay.Add(e);
        Assert.Equal("operation", replay[^1].Name);
        Assert.Equal("succeeded", Status(replay[^1].Data));
        Assert.Equal(id, replay[^1].Data.GetProperty("id").GetInt64());

        await TeardownAndWaitAsync(_api, "opsf");
        Assert.False(await HasLinkAsync(_lab, _lab.Host(1), "sbopsf0"));
    }
}
