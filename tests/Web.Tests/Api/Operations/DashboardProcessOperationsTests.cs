using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Superbridge.Dashboard;
using Superbridge.Lab;
using Superbridge.Web.Tests.Support;
using static Superbridge.Web.Tests.Api.Operations.OperationsLab;

namespace Superbridge.Web.Tests.Api.Operations;

/// <summary>
/// Operations against the real dashboard process: a client that goes away, and a process killed with SIGKILL and
/// started again on the same data folder.
/// </summary>
[Collection("Lab")]
public sealed class DashboardProcessOperationsTests(LabFixture fixture) : IAsyncLifetime
{
    private static readonly string[] Bridges = ["sbopsg0", "sbopsh0"];

    private readonly LabEnvironment _lab = fixture.Lab;
    private readonly TemporaryDirectory _data = new();
    private DashboardProcess? _dashboard;
    private HttpClient? _api;

    public Task InitializeAsync() => RemoveLeftoversAsync(_lab, Bridges, [93]);

    public async Task DisposeAsync()
    {
        try
        {
            if (_dashboard is null) await StartDashboardAsync();
            await TryTeardownAsync(_api!, "opsg");
            await TryTeardownAsync(_api!, "opsh");
        }
        catch (Exception)
        {
            // Could not even start: RemoveLeftoversAsync cleans the hosts at the next run.
        }
        finally
        {
            await StopDashboardAsync();
            _data.Dispose();
        }
    }

    /// <summary>The dashboard on this test's data folder (kept across restarts).</summary>
    private async Task StartDashboardAsync()
    {
        _dashboard = await DashboardProcess.StartAsync(new Dictionary<string, string> { ["DataDirectory"] = _data.Path });
        _api = _dashboard.CreateApiClient();
    }

    private async Task StopDashboardAsync()
    {
        _api?.Dispose();
        _api = null;
        if (_dashboard is not null) await _dashboard.DisposeAsync();
        _dashboard = null;
    }

    [Fact]
    public async Task An_apply_whose_client_disconnects_right_after_sending_still_runs_to_success()
    {
        await StartDashboardAsync();
        var api = _api!;
        await RegisterHostsAsync(api, _lab, 1, 2);
        await CreateSegmentAsync(api, "opsh", "sbopsh0", "h1", "h2");

        using (var client = new TcpClient())
        {
            await client.ConnectAsync(_dashboard!.BaseUrl.Host, _dashboard.BaseUrl.Port);
            var request = $"POST /api/segments/opsh/apply HTTP/1.1\r\nHost: {_dashboard.BaseUrl.Authority}\r\n" +
                          $"Authorization: Bearer {_dashboard.ApiToken}\r\nContent-Length: 0\r\n\r\n";
            var stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
            await stream.FlushAsync();
            client.Client.Shutdown(SocketShutdown.Both);
        }

        var clock = Stopwatch.StartNew();
        JsonElement? operation = null;
        while (operation is null && clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            var list = await api.GetFromJsonAsync<JsonElement>("/api/operations?segment=opsh");
            operation = list.EnumerateArray().Select(o => (JsonElement?)o).FirstOrDefault();
            if (operation is null) await Task.Delay(200);
        }
        Assert.True(operation is not null, "the apply was never stored:\n" + _dashboard.Output);
        Assert.Equal("apply", operation.Value.GetProperty("kind").GetString());

        var ended = await WaitAsync(api, operation.Value.GetProperty("id").GetInt64());
        Assert.True(Status(ended) == "succeeded", ended.ToString());
        var segment = await api.GetFromJsonAsync<JsonElement>("/api/segments/opsh");
        Assert.True(segment.GetProperty("applied").GetBoolean(), segment.ToString());
        Assert.True(await HasLinkAsync(_lab, _lab.Host(2), "sbopsh0"), "the bridge is not on h2");

        await TeardownAndWaitAsync(api, "opsh");
        Assert.False(await HasLinkAsync(_lab, _lab.Host(1), "sbopsh0"));
    }

    /// <param name="afterFirstStep">Kill once a step has changed a host (partial state); otherwise right on the 202.</param>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_dashboard_killed_during_an_apply_restarts_into_interrupted_and_apply_again_converges_then_teardown_leaves_the_hosts_as_before(bool afterFirstStep)
    {
        var before = await SnapshotAllAsync(_lab, [1, 2]);
        await StartDashboardAsync();
        await RegisterHostsAsync(_api!, _lab, 1, 2);
        await CreateSegmentAsync(_api!, "opsg", "sbopsg0", "h1", "h2");
        await SetRouterAsync(_api!, "opsg", "h1", 93);
        await AttachAsync(_api!, "opsg", "h2", _lab.Host(2).Containers[0]);

        var id = await StartApplyAsync(_api!, "opsg");
        if (afterFirstStep)
        {
            using var timeout = new CancellationTokenSource(OperationTimeout);
            var sawStep = false;
            await foreach (var e in EventsAsync(_api!, id, timeout.Token))
            {
                if (e.Name != "step-succeeded") continue;
                sawStep = true;
                break;
            }
            Assert.True(sawStep, "no step succeeded before the apply ended");
        }
        using (var process = Process.GetProcessById(_dashboard!.ProcessId))
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
        await StopDashboardAsync();

        await StartDashboardAsync();
        var api = _api!;
        var interrupted = await api.GetFromJsonAsync<JsonElement>($"/api/operations/{id}");
        Assert.True(Status(interrupted) == "interrupted", interrupted.ToString());
        Assert.True(interrupted.GetProperty("finished").GetBoolean());
        Assert.Contains("Apply again", interrupted.GetProperty("error").GetString());
        var segment = await api.GetFromJsonAsync<JsonElement>("/api/segments/opsg");
        Assert.Equal("interrupted", segment.GetProperty("lastOperation").GetProperty("status").GetString());
        Assert.Equal(id, segment.GetProperty("lastOperation").GetProperty("id").GetInt64());
        // A step ran, so the attempt is remembered for teardown; killed on the 202 it may not have got that far.
        if (afterFirstStep) Assert.True(segment.GetProperty("mayHaveLeftovers").GetBoolean(), segment.ToString());
        Assert.False(segment.GetProperty("applied").GetBoolean(), segment.ToString());

        await ApplyAndWaitAsync(api, "opsg");
        var plan = await api.GetFromJsonAsync<JsonElement>("/api/segments/opsg/plan");
        Assert.True(plan.GetProperty("hosts").EnumerateArray().All(h => h.GetProperty("steps").GetArrayLength() == 0), "not converged: " + plan);
        Assert.True((await api.GetFromJsonAsync<JsonElement>("/api/segments/opsg")).GetProperty("applied").GetBoolean());
        await WaitForLeaseAsync(_lab, _lab.Host(2), _lab.Host(2).Containers[0], 93);

        await TeardownAndWaitAsync(api, "opsg");
        await AssertHostsAsBeforeAsync(_lab, before);
    }
}
