using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Superbridge.Core.Commands;
using Superbridge.Core.Planning;
using Superbridge.Operations;
using Superbridge.Ssh.Audit;
using Superbridge.Web.Audit;
using Superbridge.Web.Tests.Segments.Support;
using Superbridge.Web.Tests.Support;

namespace Superbridge.Web.Tests.Segments;

/// <summary>
/// The whole dashboard applies an encrypted segment and rotates a key; the keys reach the hosts' programs and nothing
/// else: not the database files, the audit, the plan, operation and segment answers, or the log.
/// </summary>
public sealed class KeySecrecyTests : IAsyncLifetime
{
    private readonly DashboardFactory _factory = new();
    private readonly ScriptedHosts _hosts = new(3);
    private readonly CapturedLog _log = new();
    private readonly List<string> _answers = [];
    private Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> _app = null!;
    private HttpClient _api = null!;

    public Task InitializeAsync()
    {
        _app = _factory.WithWebHostBuilder(web =>
        {
            web.ConfigureTestServices(services =>
            {
                services.AddLogging(logging => logging.AddProvider(_log).SetMinimumLevel(LogLevel.Trace));
                services.AddSingleton<IHostObserver>(_hosts);
                services.AddSingleton(sp => _hosts.Executor(sp.GetRequiredService<IKeyStore>(), sp.GetRequiredService<IAuditSink>(), TimeProvider.System));
            });
        });
        _api = _app.CreateClient();
        _api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", DashboardFactory.ApiToken);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _api.Dispose();
        await _app.DisposeAsync();
        await _factory.DisposeAsync();
    }

    [Fact]
    public async Task No_key_of_an_applied_and_rotated_segment_appears_outside_the_programs_sent_to_its_hosts()
    {
        await AnswerAsync(_api.PostAsJsonAsync("/api/segments", new { name = "sec", bridge = "sbsec0", transport = "vxlan", hostIds = new[] { "h1", "h2", "h3" }, encryption = "ipsec" }), HttpStatusCode.Created);
        await AnswerAsync(_api.GetAsync("/api/segments/sec/plan"), HttpStatusCode.OK);
        await RunAsync(_api.PostAsync("/api/segments/sec/apply", null));
        var pairs = await PairsAsync();
        var before = await KeysAsync(pairs);

        var plan = await AnswerAsync(_api.GetAsync("/api/segments/sec/links/h3/h1/rotate-key/plan"), HttpStatusCode.OK);
        var rotated = pairs.Single(p => (p.A.Value, p.B.Value) == ("h1", "h3")).Name;
        // The plan names the key it writes by the variable the program exports it in, never by value.
        Assert.Contains("$" + SecretPlaceholders.Variable(SecretPlaceholders.Staged(rotated)), plan);
        var rotation = await RunAsync(_api.PostAsync("/api/segments/sec/links/h3/h1/rotate-key", null));
        Assert.Equal("rotate-key", rotation.GetProperty("kind").GetString());
        await AnswerAsync(_api.GetAsync("/api/segments/sec"), HttpStatusCode.OK);
        await AnswerAsync(_api.GetAsync("/api/segments"), HttpStatusCode.OK);
        await AnswerAsync(_api.GetAsync("/api/operations?segment=sec"), HttpStatusCode.OK);

        var after = await KeysAsync(pairs);
        Assert.NotEqual(before[rotated], after[rotated]);
        var keys = before.Values.Concat(after.Values).Distinct().ToList();
        Assert.Equal(4, keys.Count); // three pairs, one of them rotated
        var sent = string.Join('\n', _hosts.Sent);
        Assert.All(keys, key => Assert.Contains(key, sent));

        var secrets = keys.SelectMany(Forms).ToList();
        Assert.All(secrets, s => Assert.NotEmpty(s));
        var audit = await _app.Services.GetRequiredService<AuditStore>().ListEntriesAsync(new AuditFilter(SegmentId: "sec"));
        Assert.NotEmpty(audit);
        var places = new Dictionary<string, byte[]>
        {
            ["audit"] = JsonSerializer.SerializeToUtf8Bytes(audit),
            ["API answers"] = Encoding.UTF8.GetBytes(string.Join('\n', _answers)),
            ["log"] = Encoding.UTF8.GetBytes(string.Join('\n', _log.Lines)),
        };
        // Every file of the data folder but the running dashboard's exclusive lock (empty).
        foreach (var file in Directory.GetFiles(_factory.DataDirectory, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith(".lock", StringComparison.Ordinal)))
            places[Path.GetFileName(file)] = ReadShared(file);
        Assert.Contains(places.Keys, name => name.EndsWith("-wal", StringComparison.Ordinal) || name.EndsWith(".db", StringComparison.Ordinal));
        Assert.NotEmpty(_log.Lines);
        foreach (var (place, bytes) in places)
            foreach (var secret in secrets)
                Assert.False(bytes.AsSpan().IndexOf(secret) >= 0, $"a key's bytes are in {place}");
    }

    /// <summary>A key as swanctl reads it, its base64 body, and its raw bytes.</summary>
    private static IEnumerable<byte[]> Forms(string key) =>
        [Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(key[2..]), Convert.FromBase64String(key[2..])];

    private static byte[] ReadShared(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        file.CopyTo(copy);
        return copy.ToArray();
    }

    private async Task<List<IpsecPair>> PairsAsync()
    {
        var record = await _app.Services.GetRequiredService<SegmentService>().FindAsync("sec");
        var pairs = IpsecPair.Of(record!.Applied!).ToList();
        Assert.Equal(3, pairs.Count);
        return pairs;
    }

    private async Task<IReadOnlyDictionary<string, string>> KeysAsync(IEnumerable<IpsecPair> pairs) =>
        await _app.Services.GetRequiredService<IKeyStore>().GetOrCreateAsync([.. pairs.Select(p => p.Name)], CancellationToken.None);

    private async Task<string> AnswerAsync(Task<HttpResponseMessage> request, HttpStatusCode expected)
    {
        using var response = await request;
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode} {body}");
        _answers.Add(body);
        return body;
    }

    /// <summary>Starts an operation and waits for it to succeed; its answers are kept.</summary>
    private async Task<JsonElement> RunAsync(Task<HttpResponseMessage> start)
    {
        var started = JsonDocument.Parse(await AnswerAsync(start, HttpStatusCode.Accepted)).RootElement;
        var id = started.GetProperty("id").GetInt64();
        var ended = JsonDocument.Parse(await AnswerAsync(_api.GetAsync($"/api/operations/{id}/wait?timeout=30"), HttpStatusCode.OK)).RootElement;
        await AnswerAsync(_api.GetAsync($"/api/operations/{id}"), HttpStatusCode.OK);
        Assert.True(ended.GetProperty("status").GetString() == "succeeded", ended.ToString());
        return ended;
    }
}
