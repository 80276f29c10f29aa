using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Superbridge.Lab;

namespace Superbridge.Bench.Apply;

internal sealed record BenchOptions(string LabJson, int[] Sizes, bool SkipAnsible, bool SkipRouter, int MaxParallelHosts, int FloorRounds)
{
    public static BenchOptions Parse(string[] args)
    {
        var labJson = Environment.GetEnvironmentVariable(LabEnvironment.JsonVariable) is { Length: > 0 } fromEnvironment
            ? fromEnvironment
            : "/run/sblab/lab.json";
        int[] sizes = [10, 50, 100];
        bool skipAnsible = false, skipRouter = false;
        int parallel = 100, floorRounds = 5;
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw Usage($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--lab": labJson = Value(); break;
                case "--sizes":
                    var list = Value();
                    sizes = list == "none" ? [] : [.. list.Split(',').Select(Number)];
                    break;
                case "--skip-ansible": skipAnsible = true; break;
                case "--skip-router": skipRouter = true; break;
                case "--max-parallel-hosts": parallel = Number(Value()); break;
                case "--floor-rounds": floorRounds = Number(Value()); break;
                default: throw Usage($"unknown argument {args[i]}");
            }
        }
        return new BenchOptions(labJson, sizes, skipAnsible, skipRouter, parallel, floorRounds);
    }

    private static int Number(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw Usage($"\"{text}\" is not a positive number");

    private static ArgumentException Usage(string problem) => new(
        $"{problem}\nusage: Apply.Bench [--lab LAB.json] [--sizes 10,50,100|none] [--max-parallel-hosts N] [--floor-rounds N] [--skip-ansible] [--skip-router]");
}

/// <summary>The REST API as automation drives it: every call checked, operations waited on until they end.</summary>
internal sealed class Api(HttpClient client)
{
    public HttpClient Client => client;

    public async Task RegisterHostAsync(string name, LabHost host, string keyPath)
    {
        using var response = await client.PostAsJsonAsync("/api/hosts", new
        {
            name,
            address = host.Address,
            port = host.Port,
            username = "root",
            privateKeyPath = keyPath,
            hostKey = host.HostKeyFingerprint,
        });
        await ExpectAsync(response, HttpStatusCode.Created, $"register {name}");
    }

    public async Task<JsonElement> CreateSegmentAsync(string name, string bridge, IEnumerable<string> hosts)
    {
        using var response = await client.PostAsJsonAsync("/api/segments", new { name, bridge, transport = "vxlan", hostIds = hosts.ToArray() });
        return await ExpectAsync(response, HttpStatusCode.Created, $"create {name}");
    }

    public async Task<JsonElement> PlanAsync(string segment)
    {
        using var response = await client.GetAsync($"/api/segments/{segment}/plan");
        return await ExpectAsync(response, HttpStatusCode.OK, $"plan {segment}");
    }

    public async Task SetRouterAsync(string segment, string host, LabOverlay overlay)
    {
        var prefix = overlay.Subnet.Split('/')[1];
        using var response = await client.PutAsJsonAsync($"/api/segments/{segment}/router", new
        {
            hostId = host,
            gateway = $"{overlay.RouterAddress}/{prefix}",
            dhcpRange = $"{overlay.DhcpStart}-{overlay.DhcpEnd}",
            leaseTime = "1h",
            nat = true,
        });
        await ExpectAsync(response, HttpStatusCode.OK, $"router {segment}");
    }

    public async Task AttachAsync(string segment, string host, string container)
    {
        using var response = await client.PostAsJsonAsync($"/api/segments/{segment}/attachments", new { hostId = host, container });
        await ExpectAsync(response, HttpStatusCode.OK, $"attach {container}");
    }

    public async Task<JsonElement> ApplyAsync(string segment) =>
        await WaitAcceptedAsync(await client.PostAsync($"/api/segments/{segment}/apply", null), $"apply {segment}");

    public async Task<JsonElement> TeardownAsync(string segment) =>
        await WaitAcceptedAsync(await client.DeleteAsync($"/api/segments/{segment}"), $"teardown {segment}");

    /// <summary>202 with Location /api/operations/{id}, then GET {location}/wait until finished; the status must be succeeded.</summary>
    private async Task<JsonElement> WaitAcceptedAsync(HttpResponseMessage response, string what)
    {
        using (response)
        {
            var accepted = await ExpectAsync(response, HttpStatusCode.Accepted, what);
            var id = accepted.GetProperty("id").GetInt64();
            var location = response.Headers.Location?.OriginalString;
            if (location != $"/api/operations/{id}") throw new InvalidOperationException($"{what}: 202 with Location {location ?? "(none)"}");
            var deadline = Stopwatch.StartNew();
            while (true)
            {
                var operation = await client.GetFromJsonAsync<JsonElement>($"{location}/wait?timeout=600");
                if (operation.GetProperty("finished").GetBoolean())
                {
                    var status = operation.GetProperty("status").GetString();
                    if (status != "succeeded") throw new InvalidOperationException($"{what}: operation {id} ended {status}: {Truncate(operation.ToString())}");
                    return operation;
                }
                if (deadline.Elapsed > TimeSpan.FromMinutes(30)) throw new TimeoutException($"{what}: operation {id} did not end in 30 minutes");
            }
        }
    }

    private static async Task<JsonElement> ExpectAsync(HttpResponseMessage response, HttpStatusCode expected, string what)
    {
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != expected)
            throw new InvalidOperationException($"{what}: {(int)response.StatusCode} (expected {(int)expected}) {Truncate(body)}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    public static string Truncate(string text) => text.Length <= 3000 ? text : text[..3000] + "...";

    /// <summary>Steps the operation ran that changed something (outcome succeeded; skipped = the check found it done).</summary>
    public static int ChangingSteps(JsonElement operation) =>
        operation.GetProperty("result") is { ValueKind: JsonValueKind.Object } result
            ? result.GetProperty("hosts").EnumerateArray().Sum(h => h.GetProperty("steps").EnumerateArray().Count(s => s.GetProperty("outcome").GetString() == "succeeded"))
            : 0;

    public static int PlanSteps(JsonElement plan) => plan.GetProperty("hosts").EnumerateArray().Sum(h => h.GetProperty("steps").GetArrayLength());
}

/// <summary>Round trips per host: audit rows (one per command the dashboard ran on a host) of one operation.</summary>
internal sealed class AuditReader(string databaseFile)
{
    /// <summary>Commands run per host for the operation, and the median duration of each one's n-th command (its phases in order).</summary>
    public RoundTrips Count(long operationId, IReadOnlyCollection<string> hosts)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databaseFile, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT host_id, duration_ms FROM audit WHERE operation_id = $id ORDER BY id";
        command.Parameters.AddWithValue("$id", operationId);
        var perHost = hosts.ToDictionary(h => h, _ => new List<double>());
        using var reader = command.ExecuteReader();
        while (reader.Read()) perHost[reader.GetString(0)].Add(reader.GetInt64(1));
        var counts = perHost.Values.Select(d => d.Count).Order().ToArray();
        var phases = Enumerable.Range(0, counts.Length == 0 ? 0 : counts[^1])
            .Select(i => Stats.Median(perHost.Values.Where(d => d.Count > i).Select(d => d[i]))).ToArray();
        return new RoundTrips(counts.Length == 0 ? 0 : counts[0], counts.Length == 0 ? 0 : Stats.Median(counts.Select(c => (double)c)), counts.Length == 0 ? 0 : counts[^1],
            counts.Sum(), phases);
    }
}

internal sealed record RoundTrips(int Min, double Median, int Max, int Total, double[] PhaseMedians)
{
    public override string ToString() => $"{Min}/{Median:0.#}/{Max} ({Total})";

    public string Phases => string.Join(" + ", PhaseMedians.Select(ms => ms.ToString("0", System.Globalization.CultureInfo.InvariantCulture)));
}

internal static class Stats
{
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0) return double.NaN;
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    public static async Task<(T Value, double Ms)> TimeAsync<T>(Func<Task<T>> action)
    {
        var watch = Stopwatch.StartNew();
        var value = await action();
        return (value, watch.Elapsed.TotalMilliseconds);
    }
}

/// <summary>Runs ansible.</summary>
internal static class External
{
    public sealed record Run(int ExitCode, string StandardOutput, string StandardError);

    public static async Task<Run> RunAsync(string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        if (environment is not null)
            foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {fileName}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.Close();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(20));
        await process.WaitForExitAsync(deadline.Token);
        return new Run(process.ExitCode, await stdout, await stderr);
    }

    public static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Any(directory => File.Exists(Path.Combine(directory, program)));

    public static string Tail(string text) => text.Length <= 3000 ? text : "..." + text[^3000..];
}

/// <summary>
/// CPU seconds used so far: the whole machine's (user + system, all CPUs, from /proc/stat) and one process's (from
/// /proc/PID/stat). On this lab every "host" shares the machine's CPUs, so the difference is what the hosts did.
/// </summary>
internal readonly record struct CpuTime(double MachineSeconds, double ProcessSeconds)
{
    private const double TicksPerSecond = 100; // USER_HZ on Linux

    public static CpuTime Of(int processId)
    {
        var machine = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var busy = long.Parse(machine[1], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(machine[3], System.Globalization.CultureInfo.InvariantCulture);
        var stat = File.ReadAllText($"/proc/{processId}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' '); // after "pid (comm) ": fields from state on
        var process = long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
        return new CpuTime(busy / TicksPerSecond, process / TicksPerSecond);
    }

    public static CpuTime operator -(CpuTime a, CpuTime b) => new(a.MachineSeconds - b.MachineSeconds, a.ProcessSeconds - b.ProcessSeconds);
}
