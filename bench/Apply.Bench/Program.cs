using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Superbridge.Bench.Apply;
using Superbridge.Core.Commands;
using Superbridge.Dashboard;
using Superbridge.Lab;
using Superbridge.Ssh;
using Superbridge.Ssh.Connections;

// Apply.Bench: VXLAN segments over the first 10, 50 and 100 lab hosts through the real dashboard's REST API (create,
// plan, apply + verify, re-apply, teardown), beside the SSH floor (`true` on every host over warm pooled connections),
// round trips per host from the dashboard's audit, Debian's ansible pushing the same per-host plans, and a 3-host
// segment with a DHCP/NAT router and two attached containers. Prints figures; not a test. See bench/README.md.
var options = BenchOptions.Parse(args);
var lab = LabDescription.Parse(await File.ReadAllTextAsync(options.LabJson));
var labHosts = lab.AllHosts; // with the container-less hosts of `lab/up --scale`
string Id(int number) => $"h{number}";
var sizes = options.Sizes.Where(s => s <= labHosts.Count).Distinct().Order().ToArray();
var skippedSizes = options.Sizes.Where(s => s > labHosts.Count).ToArray();
var loadBefore = Load();
Console.WriteLine($"Apply bench: {labHosts.Count} lab hosts from {options.LabJson}, {Environment.ProcessorCount} CPUs, dashboard MaxParallelHosts={options.MaxParallelHosts}, "
    + $"sizes {(sizes.Length == 0 ? "none" : string.Join(",", sizes))}{(skippedSizes.Length == 0 ? "" : $" (skipped, more than the lab has: {string.Join(",", skippedSizes)})")}");
Console.WriteLine($"Load average before: {loadBefore}");

// The floor: one trivial command on every host in parallel over the product's pooled connections, warm.
var sshOptions = new SshOptions { ConnectTimeout = TimeSpan.FromSeconds(30), CommandTimeout = TimeSpan.FromSeconds(60) };
var targets = labHosts.Select(h => new HostTarget(h.Name, HostEndpoint.Root(h.Address, h.Port), HostCredentials.FromKeyFile(lab.KeyPath), HostKeyPolicy.Pin(h.HostKeyFingerprint))).ToArray();
await using var pool = SshConnectionPool.Create(sshOptions);
async Task<double> TrueOnAllAsync(int count)
{
    var (results, ms) = await Stats.TimeAsync(() => Task.WhenAll(targets.Take(count).Select(t => pool.RunAsync(t, Command.Of("true")))));
    var failed = results.Count(r => r.ExitCode != 0);
    if (failed > 0) throw new InvalidOperationException($"`true` failed on {failed} hosts");
    return ms;
}
var connect = await TrueOnAllAsync(targets.Length);
async Task<double> FloorAsync(int count)
{
    var rounds = new List<double>();
    for (var i = 0; i < options.FloorRounds; i++) rounds.Add(await TrueOnAllAsync(count));
    return Stats.Median(rounds);
}
Console.WriteLine($"connect + first `true` on all {targets.Length} hosts (cold): {connect:0} ms");

var settings = new Dictionary<string, string> { ["MaxParallelHosts"] = options.MaxParallelHosts.ToString(CultureInfo.InvariantCulture) };
await using var dashboard = await DashboardProcess.StartAsync(settings);
using var http = new HttpClient { BaseAddress = dashboard.BaseUrl, Timeout = TimeSpan.FromMinutes(15) };
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", dashboard.ApiToken);
var api = new Api(http);
var audit = new AuditReader(Path.Combine(dashboard.DataDirectory, "superbridge.db"));
var needed = Math.Max(sizes.DefaultIfEmpty(0).Max(), options.SkipRouter ? 0 : Math.Min(3, labHosts.Count));
var (_, registerMs) = await Stats.TimeAsync(async () =>
{
    using var gate = new SemaphoreSlim(10);
    await Task.WhenAll(Enumerable.Range(1, needed).Select(async n =>
    {
        await gate.WaitAsync();
        try { await api.RegisterHostAsync(Id(n), labHosts[n - 1], lab.KeyPath); }
        finally { gate.Release(); }
    }));
    return 0;
});
Console.WriteLine($"registered {needed} hosts through POST /api/hosts (10 at a time, each logs in over SSH): {registerMs:0} ms");

const string Bridge = "sbbench0";
var rows = new List<Row>();
try
{
    foreach (var size in sizes)
    {
        var hosts = Enumerable.Range(1, size).Select(Id).ToArray();
        var name = $"bench{size}";
        var floor = await FloorAsync(size);
        var (_, createMs) = await Stats.TimeAsync(() => api.CreateSegmentAsync(name, Bridge, hosts));
        var (plan, planMs) = await Stats.TimeAsync(() => api.PlanAsync(name));
        var cpu = CpuTime.Of(dashboard.ProcessId);
        var (apply, applyMs) = await Stats.TimeAsync(() => api.ApplyAsync(name));
        var applyCpu = CpuTime.Of(dashboard.ProcessId) - cpu;
        var applyTrips = audit.Count(apply.GetProperty("id").GetInt64(), hosts);
        var (again, againMs) = await Stats.TimeAsync(() => api.ApplyAsync(name));
        var changed = Api.ChangingSteps(again);
        if (changed != 0) throw new InvalidOperationException($"re-apply of {name} ran {changed} changing steps: {Api.Truncate(again.ToString())}");
        var againTrips = audit.Count(again.GetProperty("id").GetInt64(), hosts);
        var (down, downMs) = await Stats.TimeAsync(() => api.TeardownAsync(name));
        var downTrips = audit.Count(down.GetProperty("id").GetInt64(), hosts);
        var row = new Row($"vxlan {size}", size, floor, createMs, planMs, Api.PlanSteps(plan), applyMs, Api.ChangingSteps(apply), applyTrips, againMs, againTrips, downMs, downTrips);
        rows.Add(row);
        Console.WriteLine($"  done: {row.Name}: apply {applyMs:0} ms, re-apply {againMs:0} ms, teardown {downMs:0} ms; "
            + $"CPU during the apply: {applyCpu.MachineSeconds:0.0} s on the machine, of which the dashboard process {applyCpu.ProcessSeconds:0.0} s");
    }

    // What an operator would do instead: ansible pushing each host's plan (`check || command`, set -e) with -m script.
    (int Hosts, double Ms, double VerifyMs, string Note)? ansible = null;
    string? ansibleSkipped = null;
    var ansibleSize = sizes.Where(s => s <= 100).DefaultIfEmpty(0).Max();
    if (options.SkipAnsible) ansibleSkipped = "skipped (--skip-ansible)";
    else if (!External.OnPath("ansible")) ansibleSkipped = "skipped: `ansible` is not installed (apt-get install ansible; bench/apply.sh does it)";
    else if (ansibleSize == 0) ansibleSkipped = "skipped: no segment size measured";
    else
    {
        try
        {
            ansible = await AnsibleAsync(ansibleSize);
        }
        catch (InvalidOperationException e)
        {
            // An ansible run that leaves hosts out (unreachable under load) is a figure to report, not a reason to lose the rest.
            ansibleSkipped = $"failed: {e.Message.Split('\n')[0]}";
            Console.WriteLine($"  ansible {ansibleSize} hosts {ansibleSkipped}");
        }
    }

    Row? router = null;
    string? routerSkipped = null;
    if (options.SkipRouter) routerSkipped = "skipped (--skip-router)";
    else if (labHosts.Count < 3 || labHosts[1].Containers.Count == 0 || labHosts[2].Containers.Count == 0)
        routerSkipped = "skipped: needs a lab of 3+ hosts with a container on hosts 2 and 3 (bench/apply.sh runs it on a second lab, `lab/up 3 --containers 1`)";
    else router = await RouterAsync();

    var loadAfter = Load();
    Print(ansible, ansibleSkipped, router, routerSkipped, loadAfter);
    return 0;
}
catch
{
    Console.Error.WriteLine("--- dashboard output (tail) ---\n" + External.Tail(dashboard.Output));
    throw;
}

async Task<(int Hosts, double Ms, double VerifyMs, string Note)> AnsibleAsync(int size)
{
    var hosts = Enumerable.Range(1, size).Select(Id).ToArray();
    const string name = "benchansible";
    await api.CreateSegmentAsync(name, Bridge, hosts);
    var plan = await api.PlanAsync(name);
    var directory = Directory.CreateTempSubdirectory("sb-apply-bench-");
    try
    {
        var scripts = Directory.CreateDirectory(Path.Combine(directory.FullName, "scripts")).FullName;
        foreach (var host in plan.GetProperty("hosts").EnumerateArray())
        {
            var text = new StringBuilder("#!/bin/sh\nset -e\n");
            foreach (var step in host.GetProperty("steps").EnumerateArray())
            {
                var shell = step.GetProperty("shell").GetString()!;
                text.Append(step.TryGetProperty("check", out var check) && check.ValueKind == JsonValueKind.String
                    ? $"{{ {check.GetString()!}; }} >/dev/null 2>&1 || {shell}\n"
                    : $"{shell}\n");
            }
            await File.WriteAllTextAsync(Path.Combine(scripts, host.GetProperty("hostId").GetString() + ".sh"), text.ToString());
        }
        var inventoryFile = Path.Combine(directory.FullName, "hosts.ini");
        var lines = new StringBuilder("[lab]\n");
        for (var n = 1; n <= size; n++)
            lines.Append(CultureInfo.InvariantCulture, $"{Id(n)} ansible_host={labHosts[n - 1].Address} ansible_port={labHosts[n - 1].Port}\n");
        lines.Append(CultureInfo.InvariantCulture, $"""
            [lab:vars]
            ansible_user=root
            ansible_ssh_private_key_file={lab.KeyPath}
            ansible_ssh_common_args='-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o IdentitiesOnly=yes'
            ansible_python_interpreter=/usr/bin/python3

            """);
        await File.WriteAllTextAsync(inventoryFile, lines.ToString());
        var environment = new Dictionary<string, string>
        {
            ["ANSIBLE_HOST_KEY_CHECKING"] = "False",
            ["ANSIBLE_LOCAL_TEMP"] = Path.Combine(directory.FullName, "tmp"),
            ["ANSIBLE_SSH_CONTROL_PATH_DIR"] = Path.Combine(directory.FullName, "cp"),
            ["ANSIBLE_NOCOLOR"] = "1",
        };
        var (run, ms) = await Stats.TimeAsync(() => External.RunAsync("ansible",
            ["all", "-i", inventoryFile, "-f", "100", "-T", "30", "-m", "script", "-a", Path.Combine(scripts, "{{ inventory_hostname }}.sh")], environment));
        var ok = CountOf(run.StandardOutput, " | CHANGED") + CountOf(run.StandardOutput, " | SUCCESS");
        if (run.ExitCode != 0 || ok != size)
            throw new InvalidOperationException($"ansible exited {run.ExitCode} with {ok} of {size} hosts done:\n{External.Tail(run.StandardOutput)}\n{External.Tail(run.StandardError)}");
        Console.WriteLine($"  ansible {size} hosts: {ms:0} ms");
        // Proof that ansible did what the plan asks: the dashboard's apply then has nothing to change. Then a clean teardown
        // (also when that apply fails, so the router case finds the lab clean).
        double verifyMs;
        try
        {
            var (verify, elapsed) = await Stats.TimeAsync(() => api.ApplyAsync(name));
            verifyMs = elapsed;
            var changed = Api.ChangingSteps(verify);
            if (changed != 0) throw new InvalidOperationException($"after ansible, the dashboard's apply still ran {changed} changing steps");
        }
        finally
        {
            await api.TeardownAsync(name);
        }
        Console.WriteLine($"  done: ansible {size} hosts: {ms:0} ms; the dashboard's apply after it changed nothing ({verifyMs:0} ms)");
        return (size, ms, verifyMs, $"{Api.PlanSteps(plan)} steps in {size} scripts, -f 100, one cold ssh per task (ControlPersist as shipped)");
    }
    finally
    {
        directory.Delete(recursive: true);
    }
}

async Task<Row> RouterAsync()
{
    var hosts = new[] { Id(1), Id(2), Id(3) };
    const string name = "benchrouter";
    var floor = await FloorAsync(3);
    var (_, createMs) = await Stats.TimeAsync(() => api.CreateSegmentAsync(name, Bridge, hosts));
    await api.SetRouterAsync(name, Id(1), lab.Overlay);
    await api.AttachAsync(name, Id(2), labHosts[1].Containers[0]);
    await api.AttachAsync(name, Id(3), labHosts[2].Containers[0]);
    var (plan, planMs) = await Stats.TimeAsync(() => api.PlanAsync(name));
    var (apply, applyMs) = await Stats.TimeAsync(() => api.ApplyAsync(name));
    var applyTrips = audit.Count(apply.GetProperty("id").GetInt64(), hosts);
    var (again, againMs) = await Stats.TimeAsync(() => api.ApplyAsync(name));
    var changed = Api.ChangingSteps(again);
    if (changed != 0) throw new InvalidOperationException($"re-apply of {name} ran {changed} changing steps: {Api.Truncate(again.ToString())}");
    var againTrips = audit.Count(again.GetProperty("id").GetInt64(), hosts);
    var (down, downMs) = await Stats.TimeAsync(() => api.TeardownAsync(name));
    var downTrips = audit.Count(down.GetProperty("id").GetInt64(), hosts);
    Console.WriteLine($"  done: router: apply {applyMs:0} ms, teardown {downMs:0} ms");
    return new Row("3 + router, 2 containers", 3, floor, createMs, planMs, Api.PlanSteps(plan), applyMs, Api.ChangingSteps(apply), applyTrips, againMs, againTrips, downMs, downTrips);
}

void Print((int Hosts, double Ms, double VerifyMs, string Note)? ansible, string? ansibleSkipped, Row? router, string? routerSkipped, string loadAfter)
{
    var all = rows.Concat(router is null ? [] : [router]).ToList();
    Console.WriteLine();
    Console.WriteLine("Wall time, ms (floor: `true` on every host of the segment in parallel, warm pooled connections, median of "
        + $"{options.FloorRounds}; apply includes verify; re-apply must change nothing; teardown waits for the operation)");
    Console.WriteLine($"{"segment",-26}{"floor",8}{"create",9}{"plan",8}{"steps",7}{"apply",9}{"re-apply",10}{"teardown",10}");
    foreach (var r in all)
        Console.WriteLine($"{r.Name,-26}{r.Floor,8:0}{r.CreateMs,9:0}{r.PlanMs,8:0}{r.Steps,7}{r.ApplyMs,9:0}{r.AgainMs,10:0}{r.DownMs,10:0}");
    Console.WriteLine();
    Console.WriteLine("Each phase / floor");
    Console.WriteLine($"{"segment",-26}{"create",9}{"plan",8}{"apply",9}{"re-apply",10}{"teardown",10}");
    foreach (var r in all)
        Console.WriteLine($"{r.Name,-26}{r.CreateMs / r.Floor,8:0.0}x{r.PlanMs / r.Floor,7:0.0}x{r.ApplyMs / r.Floor,8:0.0}x{r.AgainMs / r.Floor,9:0.0}x{r.DownMs / r.Floor,9:0.0}x");
    Console.WriteLine();
    Console.WriteLine("Round trips per host from the audit (commands the dashboard ran on the host for the operation): min/median/max (total rows)");
    Console.WriteLine($"{"segment",-26}{"apply",-22}{"re-apply",-22}{"teardown",-22}");
    foreach (var r in all)
        Console.WriteLine($"{r.Name,-26}{r.ApplyTrips,-22}{r.AgainTrips,-22}{r.DownTrips,-22}");
    Console.WriteLine();
    Console.WriteLine("Each round trip's duration on the host side, ms: median over the segment's hosts of its 1st + 2nd + ... command (observe, program, verify)");
    Console.WriteLine($"{"segment",-26}{"apply",-22}{"re-apply",-22}{"teardown",-22}");
    foreach (var r in all)
        Console.WriteLine($"{r.Name,-26}{r.ApplyTrips.Phases,-22}{r.AgainTrips.Phases,-22}{r.DownTrips.Phases,-22}");
    var small = rows.FirstOrDefault(r => r.Hosts == 10);
    var large = rows.FirstOrDefault(r => r.Hosts == 100);
    if (small is not null && large is not null)
    {
        Console.WriteLine();
        Console.WriteLine("100 hosts / 10 hosts");
        Console.WriteLine($"  floor {large.Floor / small.Floor:0.0}x, create {large.CreateMs / small.CreateMs:0.0}x, plan {large.PlanMs / small.PlanMs:0.0}x, "
            + $"apply {large.ApplyMs / small.ApplyMs:0.0}x, re-apply {large.AgainMs / small.AgainMs:0.0}x, teardown {large.DownMs / small.DownMs:0.0}x");
    }
    Console.WriteLine();
    if (ansible is { } a)
    {
        var mine = rows.Single(r => r.Hosts == a.Hosts);
        Console.WriteLine($"ansible all -m script, {a.Hosts} hosts: {a.Ms:0} ms ({a.Note})");
        Console.WriteLine($"  ansible / Superbridge apply {a.Ms / mine.ApplyMs:0.00}x   (ansible / floor {a.Ms / mine.Floor:0.0}x; "
            + $"the dashboard's apply after ansible changed nothing, {a.VerifyMs:0} ms)");
    }
    else Console.WriteLine($"ansible: {ansibleSkipped}");
    if (router is null) Console.WriteLine($"router segment: {routerSkipped}");
    Console.WriteLine();
    Console.WriteLine($"Load average before: {loadBefore}; after: {loadAfter} ({Environment.ProcessorCount} CPUs)");
}

static int CountOf(string text, string value)
{
    var count = 0;
    for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + value.Length, StringComparison.Ordinal)) count++;
    return count;
}

static string Load() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

internal sealed record Row(
    string Name, int Hosts, double Floor, double CreateMs, double PlanMs, int Steps, double ApplyMs, int Changed, RoundTrips ApplyTrips,
    double AgainMs, RoundTrips AgainTrips, double DownMs, RoundTrips DownTrips);
