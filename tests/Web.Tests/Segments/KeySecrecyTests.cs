using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Superbridge.Core.Commands;
using Superbridge.Core.Planning;
using Superbridge.Operations;
using Superbridge.Web.Audit;
using Superbridge.Web.Tests.Segments.Support;

namespace Superbridge.Web.Tests.Segments;

/// <summary>
/// The whole dashboard applies an encrypted segment and rotates a key; the keys reach the hosts' programs and nothing
/// else: not the database files, the audit, the plan, operation and segment answers, or the log.
/// </summary>
public sealed class KeySecrecyTests : IAsyncLifetime
{
    private readonly ScriptedDashboard _dashboard = new();
    private readonly List<string> _answers = [];

    private HttpClient Api => _dashboard.Api;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _dashboard.DisposeAsync();

    [Fact]
    public async Task No_key_of_an_applied_and_rotated_segment_appears_outside_the_programs_sent_to_its_hosts()
    {
        await AnswerAsync(Api.PostAsJsonAsync("/api/segments", new { name = "sec", bridge = "sbsec0", transport = "vxlan", hostIds = new[] { "h1", "h2", "h3" }, encryption = "ipsec" }), HttpStatusCode.Created);
        await AnswerAsync(Api.GetAsync("/api/segments/sec/plan"), HttpStatusCode.OK);
        await RunAsync(Api.PostAsync("/api/segments/sec/apply", null));
        var pairs = await PairsAsync();
        var before = await KeysAsync(pairs);

        var plan = await AnswerAsync(Api.GetAsync("/api/segments/sec/links/h3/h1/rotate-key/plan"), HttpStatusCode.OK);
        var rotated = pairs.Single(p => (p.A.Value, p.B.Value) == ("h1", "h3")).Name;
        // The plan names the key it writes by the variable the program exports it in, never by value.
        Assert.Contains("$" + SecretPlaceholders.Variable(SecretPlaceholders.Staged(rotated)), plan);
        var rotation = await RunAsync(Api.PostAsync("/api/segments/sec/links/h3/h1/rotate-key", null));
        Assert.Equal("rotate-key", rotation.GetProperty("kind").GetString());
        await AnswerAsync(Api.GetAsync("/api/segments/sec"), HttpStatusCode.OK);
        await AnswerAsync(Api.GetAsync("/api/segments"), HttpStatusCode.OK);
        await AnswerAsync(Api.GetAsync("/api/operations?segment=sec"), HttpStatusCode.OK);

        var after = await KeysAsync(pairs);
        Assert.NotEqual(before[rotated], after[rotated]);
        var keys = before.Values.Concat(after.Values).Distinct().ToList();
        Assert.Equal(4, keys.Count); // three pairs, one of them rotated
        var sent = string.Join('\n', _dashboard.Hosts.Sent);
        Assert.All(keys, key => Assert.Contains(key, sent));

        var secrets = keys.SelectMany(Forms).ToList();
        Assert.All(secrets, s => Assert.NotEmpty(s));
        var audit = await _dashboard.Services.GetRequiredService<AuditStore>().ListEntriesAsync(new AuditFilter(SegmentId: "sec"));
        Assert.NotEmpty(audit);
        var places = new Dictionary<string, byte[]>
        {
            ["audit"] = JsonSerializer.SerializeToUtf8Bytes(audit),
            ["API answers"] = Encoding.UTF8.GetBytes(string.Join('\n', _answers)),
            ["log"] = Encoding.UTF8.GetBytes(string.Join('\n', _dashboard.Log.Lines)),
        };
        // Every file of the data folder but the running dashboard's exclusive lock (empty).
        foreach (var file in Directory.GetFiles(_dashboard.DataDirectory, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith(".lock", StringComparison.Ordinal)))
            places[Path.GetFileName(file)] = ReadShared(file);
        Assert.Contains(places.Keys, name => name.EndsWith("-wal", StringComparison.Ordinal) || name.EndsWith(".db", StringComparison.Ordinal));
        Assert.NotEmpty(_dashboard.Log.Lines);
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
        var record = await _dashboard.Services.GetRequiredService<SegmentService>().FindAsync("sec");
        var pairs = IpsecPair.Of(record!.Applied!.Spec).ToList();
        Assert.Equal(3, pairs.Count);
        return pairs;
    }

    private async Task<IReadOnlyDictionary<string, string>> KeysAsync(IEnumerable<IpsecPair> pairs) =>
        await _dashboard.Services.GetRequiredService<IKeyStore>().GetOrCreateAsync([.. pairs.Select(p => p.Name)], CancellationToken.None);

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
        var ended = JsonDocument.Parse(await AnswerAsync(Api.GetAsync($"/api/operations/{id}/wait?timeout=30"), HttpStatusCode.OK)).RootElement;
        await AnswerAsync(Api.GetAsync($"/api/operations/{id}"), HttpStatusCode.OK);
        Assert.True(ended.GetProperty("status").GetString() == "succeeded", ended.ToString());
        return ended;
    }
}
