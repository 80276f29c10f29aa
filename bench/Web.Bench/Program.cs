// The topology page with 50 hosts and 100 tunnels, against the real dashboard process in headless Chromium: its time
// to interactive beside smaller baselines, and the server memory each connected browser costs.
// Run: dotnet run -c Release --project bench/Web.Bench [-- --runs 7 --pages 1,10,20,30 --screenshot topology.png]
using System.Globalization;
using Superbridge.Bench.Web;
using Superbridge.Dashboard;

const double TargetMs = 1000;
const double TargetMbPerCircuit = 5;
var timeout = TimeSpan.FromSeconds(60);
var runs = Option("--runs", 7, int.Parse);
var pageCounts = Option("--pages", new[] { 1, 10, 20, 30 }, v => v.Split(',').Select(int.Parse).ToArray());
var screenshot = Option<string?>("--screenshot", null, Path.GetFullPath);
TopologyScenario[] scenarios = [new("1 host, no tunnels", 1, 0), new("5 hosts, 10 tunnels", 5, 10), new("50 hosts, 100 tunnels", 50, 100)];
var measured = scenarios[^1];

var scratch = Directory.CreateTempSubdirectory("superbridge-webbench-").FullName;
try
{
    var keyFile = TopologySeed.CreateKeyFile(scratch);
    // No host listens on this port, so each status refresh is refused at once instead of waiting for a timeout.
    var closedPort = ClosedLoopbackPort.Find();
    var loadBefore = Load();
    await using var chromium = await HeadlessChromium.LaunchAsync();

    var times = new List<(TopologyScenario Scenario, Spread FirstByte, Spread Drawn, Spread Interactive)>();
    foreach (var scenario in scenarios)
    {
        await using var dashboard = await StartSeededAsync(scenario, closedPort, keyFile);
        var browser = await SignedInBrowser.SignInAsync(chromium, dashboard);
        var visits = await TopologyTiming.MeasureAsync(browser, scenario.Hosts, scenario.Tunnels, runs, timeout, scenario == measured ? screenshot : null);
        times.Add((scenario, Spread.Of(visits.Select(v => v.FirstByteMs)), Spread.Of(visits.Select(v => v.DrawnMs)), Spread.Of(visits.Select(v => v.InteractiveMs))));
    }

    IReadOnlyList<MemoryReading> memory;
    await using (var dashboard = await StartSeededAsync(measured, closedPort, keyFile))
    {
        var browser = await SignedInBrowser.SignInAsync(chromium, dashboard);
        memory = await CircuitMemory.MeasureAsync(dashboard, browser, measured.Hosts, measured.Tunnels, pageCounts, timeout);
    }
    var loadAfter = Load();

    Console.WriteLine($"Topology page, time to interactive in headless Chromium: median of {runs} visits (min-max), ms from navigation start");
    Console.WriteLine($"{"",-24}{"first byte",12}{"drawn",12}{"interactive",14}{"(min-max)",16}{"vs 1 host",13}");
    var empty = times[0].Interactive.Median;
    foreach (var (scenario, firstByte, drawn, interactive) in times)
    {
        Console.WriteLine($"{scenario.Name,-24}{firstByte.Median,12:F0}{drawn.Median,12:F0}{interactive.Median,14:F0}{$"({interactive.Min:F0}-{interactive.Max:F0})",16}{interactive.Median / empty,12:F2}x");
    }
    var tti = times[^1].Interactive.Median;
    Console.WriteLine($"target: {measured.Name} interactive < {TargetMs:F0} ms: {(tti < TargetMs ? "met" : "MISSED")} ({tti:F0} ms)");
    Console.WriteLine();

    Console.WriteLine($"Server memory per connected browser, {measured.Name}: the dashboard after a forced full GC, topology pages open");
    Console.WriteLine($"{"pages",-8}{"RSS MB",10}{"+MB",10}{"MB/page",10}{"GC heap MB",14}{"+MB",10}{"MB/page",10}");
    var baseline = memory[0];
    foreach (var reading in memory)
    {
        var rss = Megabytes(reading.ResidentBytes - baseline.ResidentBytes);
        var heap = Megabytes(reading.GcHeapBytes - baseline.GcHeapBytes);
        Console.WriteLine($"{reading.Pages,-8}{Megabytes(reading.ResidentBytes),10:F1}{rss,10:F1}{PerPage(rss, reading.Pages),10}"
            + $"{Megabytes(reading.GcHeapBytes),14:F1}{heap,10:F1}{PerPage(heap, reading.Pages),10}");
    }
    var largest = memory[^1];
    if (memory.Count >= 3)
    {
        // Past the first pages the one-off costs (a new GC region, a second GC heap) are paid; this is what one more costs.
        var before = memory[^2];
        var pages = largest.Pages - before.Pages;
        Console.WriteLine($"one more page, from {before.Pages} to {largest.Pages}: {Megabytes(largest.ResidentBytes - before.ResidentBytes) / pages:F2} MB RSS, "
            + $"{Megabytes(largest.GcHeapBytes - before.GcHeapBytes) / pages:F2} MB GC heap");
    }
    var perCircuit = Megabytes(largest.ResidentBytes - baseline.ResidentBytes) / largest.Pages;
    Console.WriteLine($"target: < {TargetMbPerCircuit:F0} MB RSS per circuit (at {largest.Pages} pages): {(perCircuit < TargetMbPerCircuit ? "met" : "MISSED")} ({perCircuit:F2} MB)");
    Console.WriteLine();
    Console.WriteLine($"load average before: {loadBefore}; after: {loadAfter} ({Environment.ProcessorCount} cores)");
    return tti < TargetMs && perCircuit < TargetMbPerCircuit ? 0 : 1;
}
finally
{
    Directory.Delete(scratch, recursive: true);
}

T Option<T>(string name, T fallback, Func<string, T> parse)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? parse(args[index + 1]) : fallback;
}

static double Megabytes(long bytes) => bytes / 1024.0 / 1024.0;

static string PerPage(double megabytes, int pages) => pages == 0 ? "" : (megabytes / pages).ToString("F2", CultureInfo.InvariantCulture);

// The 1, 5 and 15 minute load averages: the figures mean little without them on a shared machine.
static string Load() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

static async Task<DashboardProcess> StartSeededAsync(TopologyScenario scenario, int closedPort, string keyFile)
{
    var dashboard = await DashboardProcess.StartAsync();
    try
    {
        await TopologySeed.SeedAsync(dashboard.DataDirectory, scenario.Hosts, scenario.Tunnels, closedPort, keyFile);
        return dashboard;
    }
    catch
    {
        await dashboard.DisposeAsync();
        throw;
    }
}
