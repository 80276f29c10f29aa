using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Superbridge.Lab;
using Xunit.Abstractions;
using Superbridge.Web.Tests.Support;
using static Superbridge.Web.Tests.Api.Operations.OperationsLab;

namespace Superbridge.Web.Tests.Api.Operations;

/// <summary>Many concurrent requests on two segments that share a host: every one answers, every operation ends, and the hosts agree with the store.</summary>
[Collection("Lab")]
public sealed class OperationStormTests(LabFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly string[] Bridges = ["sbopsc0", "sbopsd0"];

    private readonly LabEnvironment _lab = fixture.Lab;
    private readonly DashboardFactory _factory = new();
    private HttpClient _api = null!;

    public async Task InitializeAsync()
    {
        await RemoveLeftoversAsync(_lab, Bridges, []);
        _api = _factory.CreateApiClient();
        await RegisterHostsAsync(_api, _lab, 1, 2, 3);
    }

    public async Task DisposeAsync()
    {
        await TryTeardownAsync(_api, "opsc");
        await TryTeardownAsync(_api, "opsd");
        _api.Dispose();
        await _factory.DisposeAsync();
    }

    [Fact]
    public async Task A_storm_of_concurrent_creates_applies_and_teardowns_answers_without_5xx_ends_every_operation_and_never_interleaves_commands_on_a_host()
    {
        await CreateSegmentAsync(_api, "opsd", "sbopsd0", "h2", "h3");
        var create = () => _api.PostAsJsonAsync("/api/segments", new { name = "opsc", bridge = "sbopsc0", transport = "vxlan", hostIds = new[] { "h1", "h2" } });
        var applyC = () => _api.PostAsync("/api/segments/opsc/apply", null);
        var deleteC = () => _api.DeleteAsync("/api/segments/opsc");
        var applyD = () => _api.PostAsync("/api/segments/opsd/apply", null);
        // Lanes run at once, each sending its requests one after another without waiting for operations to end, so
        // creates, applies and teardowns of opsc overlap each other and opsd's applies on the shared host h2.
        (string What, Func<Task<HttpResponseMessage>> Send) C(string what) => what switch
        {
            "create opsc" => (what, create),
            "apply opsc" => (what, applyC),
            "delete opsc" => (what, deleteC),
            _ => (what, applyD),
        };
        var lanes = new[]
        {
            new[] { "create opsc", "apply opsc", "delete opsc", "create opsc", "apply opsc", "apply opsc", "delete opsc", "create opsc", "apply opsc" },
            new[] { "apply opsc", "create opsc", "delete opsc", "apply opsc", "create opsc", "apply opsc", "delete opsc", "create opsc", "apply opsc" },
            new[] { "delete opsc", "create opsc", "apply opsc", "create opsc", "delete opsc", "apply opsc", "create opsc", "apply opsc" },
            new[] { "apply opsd", "apply opsd", "apply opsd", "apply opsd" },
            new[] { "apply opsd", "apply opsc", "apply opsd", "apply opsc" },
        };

        var answers = (await Task.WhenAll(lanes.Select(async (lane, n) =>
        {
            await Task.Delay(n * 50);
            var results = new List<(string What, HttpStatusCode Status, string Body)>();
            foreach (var (what, send) in lane.Select(C))
            {
                using var response = await send();
                results.Add((what, response.StatusCode, await response.Content.ReadAsStringAsync()));
            }
            return results;
        }))).SelectMany(r => r).ToList();

        var summary = string.Join("\n", answers.Select(a => $"{a.What}: {(int)a.Status} {Truncate(a.Body)}"));
        output.WriteLine(summary);
        Assert.All(answers, a => Assert.True((int)a.Status < 500, summary));
        Assert.All(answers, a => Assert.Contains(a.Status, new[] { HttpStatusCode.Created, HttpStatusCode.Accepted, HttpStatusCode.BadRequest, HttpStatusCode.NotFound }));
        var started = answers.Where(a => a.Status == HttpStatusCode.Accepted)
            .Select(a => JsonDocument.Parse(a.Body).RootElement.GetProperty("id").GetInt64()).ToList();
        Assert.True(started.Count >= 3, "the storm started almost nothing:\n" + summary);
        Assert.Contains(answers, a => a.What == "apply opsc" && a.Status == HttpStatusCode.Accepted);
        Assert.Contains(answers, a => a.What == "delete opsc" && a.Status == HttpStatusCode.Accepted);
        foreach (var id in started) await WaitAsync(_api, id);

        var operations = await _api.GetFromJsonAsync<JsonElement>("/api/operations?limit=1000");
        output.WriteLine(string.Join("\n", operations.EnumerateArray().Select(o => $"{o.GetProperty("id")} {o.GetProperty("kind")} {o.GetProperty("segment")} {Status(o)} {o.GetProperty("error")}")));
        var unfinished = operations.EnumerateArray().Where(o => Status(o) is "queued" or "running").ToList();
        Assert.True(unfinished.Count == 0, "operations still unfinished: " + string.Join(", ", unfinished));
        Assert.True(operations.EnumerateArray().Any(o => o.GetProperty("segment").GetString() == "opsd" && Status(o) == "succeeded"),
            "no apply of opsd succeeded:\n" + operations);

        await AssertStoreAgreesWithHostsAsync();
        AssertNoInterleavedCommands();
    }

    private async Task AssertStoreAgreesWithHostsAsync()
    {
        var stored = (await _api.GetFromJsonAsync<JsonElement>("/api/segments")).EnumerateArray()
            .ToDictionary(s => s.GetProperty("id").GetString()!);
        foreach (var (name, bridge) in new[] { ("opsc", "sbopsc0"), ("opsd", "sbopsd0") })
        {
            var onHosts = new List<string>();
            foreach (var host in _lab.Hosts.Take(3))
                if (await HasLinkAsync(_lab, host, bridge)) onHosts.Add(host.Name);
            if (!stored.TryGetValue(name, out var segment))
            {
                Assert.True(onHosts.Count == 0, $"{name} is not stored but {bridge} is on {string.Join(", ", onHosts)}");
                continue;
            }
            var members = segment.GetProperty("hostIds").EnumerateArray().Select(h => _lab.Host(int.Parse(h.GetString()![1..], CultureInfo.InvariantCulture)).Name).ToList();
            if (segment.GetProperty("applied").GetBoolean())
                Assert.True(members.All(onHosts.Contains), $"{name} is applied but {bridge} is only on [{string.Join(", ", onHosts)}]: {segment}");
            else if (!segment.GetProperty("mayHaveLeftovers").GetBoolean())
                Assert.True(onHosts.Count == 0, $"{name} is not applied and has no attempt, but {bridge} is on {string.Join(", ", onHosts)}: {segment}");
        }
        // opsd was only ever applied: it must have ended applied.
        Assert.True(stored.TryGetValue("opsd", out var d) && d.GetProperty("applied").GetBoolean(), "opsd is not applied");
    }

    /// <summary>Per host, the span of each operation's commands (first start to last end) overlaps no other operation's.</summary>
    private void AssertNoInterleavedCommands()
    {
        var database = Path.Combine(_factory.DataDirectory, "superbridge.db");
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT a.operation_id, a.host_id, a.at, a.duration_ms, o.segment_id FROM audit a JOIN operations o ON o.id = a.operation_id";
        var rows = new List<(long Operation, string Host, DateTimeOffset Start, DateTimeOffset End, string Segment)>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var start = DateTimeOffset.Parse(reader.GetString(2), CultureInfo.InvariantCulture);
                rows.Add((reader.GetInt64(0), reader.GetString(1), start, start.AddMilliseconds(reader.GetInt64(3)), reader.GetString(4)));
            }
        }
        Assert.True(rows.Select(r => r.Operation).Distinct().Count() >= 3, $"the audit holds commands of only {rows.Select(r => r.Operation).Distinct().Count()} operations");

        var problems = new List<string>();
        foreach (var host in rows.GroupBy(r => r.Host))
        {
            var spans = host.GroupBy(r => r.Operation)
                .Select(g => (Operation: g.Key, Start: g.Min(r => r.Start), End: g.Max(r => r.End), Count: g.Count()))
                .OrderBy(s => s.Start).ToList();
            for (var i = 1; i < spans.Count; i++)
            {
                var (previous, current) = (spans[i - 1], spans[i]);
                if (current.Start < previous.End)
                    problems.Add($"{host.Key}: operation {current.Operation} ran from {current.Start:HH:mm:ss.fff} while operation {previous.Operation} ran until {previous.End:HH:mm:ss.fff}");
            }
        }
        Assert.True(rows.Where(r => r.Host == "h2").Select(r => r.Segment).Distinct().Count() == 2, "h2's audit does not hold commands of both segments' operations");
        output.WriteLine($"audit: {rows.Count} commands of {rows.Select(r => r.Operation).Distinct().Count()} operations");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    private static string Truncate(string body) => body.Length <= 300 ? body : body[..300] + "…";
}
