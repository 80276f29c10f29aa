using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Superbridge.Web.Tests.Segments.Support;

namespace Superbridge.Web.Tests.Segments;

/// <summary>GET /api/segments/{id}/plan answers with the underlay paths the MTU follows, as measured.</summary>
public sealed class PlanPathsApiTests : IAsyncLifetime
{
    private readonly ScriptedDashboard _dashboard = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _dashboard.DisposeAsync();

    [Fact]
    public async Task The_plan_lists_each_measured_direction_with_its_figure_and_time_and_no_warnings_when_every_probe_crossed()
    {
        var created = await _dashboard.Api.PostAsJsonAsync("/api/segments", new { name = "lan", bridge = "sblan0", transport = "vxlan", hostIds = new[] { "h1", "h2" } });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());

        var plan = await _dashboard.Api.GetFromJsonAsync<JsonElement>("/api/segments/lan/plan");

        Assert.Equal(1450, plan.GetProperty("mtu").GetInt32());
        var paths = plan.GetProperty("paths").EnumerateArray().ToList();
        Assert.Equal(["h1>h2 192.0.2.1>192.0.2.2 1500", "h2>h1 192.0.2.2>192.0.2.1 1500"], paths.Select(p =>
            $"{p.GetProperty("from").GetString()}>{p.GetProperty("to").GetString()} {p.GetProperty("localAddress").GetString()}>" +
            $"{p.GetProperty("remoteAddress").GetString()} {p.GetProperty("mtu").GetInt32()}"));
        Assert.All(paths, p => Assert.True(p.GetProperty("measuredAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-5)));
        Assert.Empty(plan.GetProperty("warnings").EnumerateArray());
    }
}
