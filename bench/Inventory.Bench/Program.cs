using System.Diagnostics;
using System.Globalization;
using System.Text;
using Superbridge.Bench.Inventory;
using Superbridge.Lab;
using Superbridge.Ssh;
using Superbridge.Ssh.Connections;
using Superbridge.Ssh.Inventory;

// Inventory.Bench: wall time of a full inventory refresh of every lab host, cold (new connections) and warm (pooled),
// beside a sequential OpenSSH loop and `ansible all -m shell` running the same script. Prints figures; not a test.
var options = BenchOptions.Parse(args);
if (options.PrintScript)
{
    Console.Write(InventoryScript.Default);
    return 0;
}

var lab = LabDescription.Parse(await File.ReadAllTextAsync(options.LabJson));
var targets = lab.Hosts.Select(h => new InventoryTarget(
    new HostTarget(
        h.Name,
        options.AsSudoUser ? HostEndpoint.SudoUser(h.Address, h.Users.Sudo, h.Port) : HostEndpoint.Root(h.Address, h.Port),
        HostCredentials.FromKeyFile(lab.KeyPath),
        HostKeyPolicy.Pin(h.HostKeyFingerprint)),
    h.Address)).ToArray();
var script = InventoryScript.Default;
var sshOptions = new SshOptions { ConnectTimeout = TimeSpan.FromSeconds(10), CommandTimeout = TimeSpan.FromSeconds(60) };
var inventoryOptions = new InventoryOptions { PerHostTimeout = TimeSpan.FromSeconds(30) };

Console.WriteLine($"Inventory bench: {targets.Length} hosts from {options.LabJson}, {lab.Hosts.Sum(h => h.Containers.Count)} containers in all, " +
    $"{Environment.ProcessorCount} CPUs, {options.Repetitions} repetitions of the Superbridge runs, {options.ExternalRepetitions} of the external tools.");
var user = options.AsSudoUser ? lab.Hosts[0].Users.Sudo : "root";
Console.WriteLine(options.AsSudoUser
    ? $"Every tool logs in as {user} and runs the script through sudo (Superbridge: sudo -n; ssh: sudo -n sh -s; ansible: --become)."
    : "Every tool logs in as root.");
Console.WriteLine($"Load average before: {File.ReadAllText("/proc/loadavg").Trim()}");

// Correctness first: every host online and every section read.
await using (var pool = SshConnectionPool.Create(sshOptions))
{
    var results = await new HostInventoryService(pool, TimeProvider.System, inventoryOptions).RefreshAllAsync(targets);
    Check(results);
    var problems = results.OfType<HostInventoryResult.Online>().SelectMany(r => r.Problems.Select(p => $"{r.HostId}: {p}")).ToArray();
    Console.WriteLine($"check: {results.Length} online, {problems.Length} section problems{(problems.Length == 0 ? "" : ":\n  " + string.Join("\n  ", problems.Take(10)))}");
}

var cold = new List<double>();
for (var i = 0; i < options.Repetitions; i++)
{
    await using var pool = SshConnectionPool.Create(sshOptions);
    var service = new HostInventoryService(pool, TimeProvider.System, inventoryOptions);
    var watch = Stopwatch.StartNew();
    var results = await service.RefreshAllAsync(targets);
    cold.Add(watch.Elapsed.TotalMilliseconds);
    Check(results);
}

var warm = new List<double>();
var perHost = new List<double>();
await using (var pool = SshConnectionPool.Create(sshOptions))
{
    var service = new HostInventoryService(pool, TimeProvider.System, inventoryOptions);
    Check(await service.RefreshAllAsync(targets));
    for (var i = 0; i < options.Repetitions; i++)
    {
        var watch = Stopwatch.StartNew();
        var results = await service.RefreshAllAsync(targets);
        warm.Add(watch.Elapsed.TotalMilliseconds);
        Check(results);
        perHost.AddRange(results.Select(r => r.Duration.TotalMilliseconds));
    }
}

var sshLoop = new List<double>();
for (var i = 0; i < options.ExternalRepetitions; i++)
{
    var watch = Stopwatch.StartNew();
    foreach (var host in lab.Hosts)
    {
        var run = await External.RunAsync("ssh",
            ["-i", lab.KeyPath, "-p", host.Port.ToString(CultureInfo.InvariantCulture), "-o", "IdentitiesOnly=yes",
             "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes", "-o", "LogLevel=ERROR",
             $"{user}@{host.Address}", options.AsSudoUser ? "sudo -n sh -s" : "sh -s"],
            script);
        External.Require(run, 1);
    }
    sshLoop.Add(watch.Elapsed.TotalMilliseconds);
}

var ansible = new List<double>();
string? ansibleNote = null;
if (options.SkipAnsible)
{
    ansibleNote = "skipped (--skip-ansible)";
}
else if (!External.OnPath("ansible"))
{
    ansibleNote = "skipped: `ansible` is not installed (apt-get install ansible; bench/inventory.sh does it)";
}
else
{
    var directory = Directory.CreateTempSubdirectory("sb-inventory-bench-");
    try
    {
        var inventoryFile = Path.Combine(directory.FullName, "hosts.ini");
        var lines = new StringBuilder("[lab]\n");
        foreach (var host in lab.Hosts)
            lines.Append(CultureInfo.InvariantCulture, $"{host.Name} ansible_host={host.Address} ansible_port={host.Port}\n");
        lines.Append(CultureInfo.InvariantCulture, $"""
            [lab:vars]
            ansible_user={user}
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
        for (var i = 0; i < options.ExternalRepetitions; i++)
        {
            var watch = Stopwatch.StartNew();
            var run = await External.RunAsync("ansible",
                ["all", "-i", inventoryFile, .. (options.AsSudoUser ? new[] { "--become" } : []), "-m", "shell", "-a", script], null, environment);
            ansible.Add(watch.Elapsed.TotalMilliseconds);
            External.Require(run, lab.Hosts.Count);
        }
        ansibleNote = $"default forks (5), ControlPersist as shipped; first run {ansible[0]:0} ms";
    }
    finally
    {
        directory.Delete(recursive: true);
    }
}

double Median(List<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
}
string Figure(List<double> values) => values.Count == 0 ? "-" : $"{Median(values),8:0} ms  (min {values.Min():0}, max {values.Max():0}, n={values.Count})";

Console.WriteLine();
Console.WriteLine($"Load average after: {File.ReadAllText("/proc/loadavg").Trim()}");
Console.WriteLine($"Full inventory of {targets.Length} hosts as {user}, wall time, median:");
Console.WriteLine($"  Superbridge, cold connections   {Figure(cold)}");
Console.WriteLine($"  Superbridge, warm (pool reused) {Figure(warm)}   per host: median {Median(perHost):0} ms");
Console.WriteLine($"  OpenSSH ssh loop, sequential    {Figure(sshLoop)}");
Console.WriteLine($"  ansible all -m shell            {Figure(ansible)}{(ansibleNote is null ? "" : "   " + ansibleNote)}");
Console.WriteLine();
var warmMedian = Median(warm);
Console.WriteLine("Ratios (median / Superbridge warm):");
Console.WriteLine($"  cold / warm     {Median(cold) / warmMedian,6:0.0}x");
Console.WriteLine($"  ssh loop / warm {Median(sshLoop) / warmMedian,6:0.0}x   (ssh loop / cold {Median(sshLoop) / Median(cold):0.0}x)");
if (ansible.Count > 0)
    Console.WriteLine($"  ansible / warm  {Median(ansible) / warmMedian,6:0.0}x   (ansible / cold {Median(ansible) / Median(cold):0.0}x)");
Console.WriteLine();
Console.WriteLine($"Target: warm refresh under 1 s: {(warmMedian < 1000 ? "met" : "NOT met")} ({warmMedian:0} ms)");
if (ansible.Count > 0)
    Console.WriteLine($"Target: at least 10x faster than ansible: {(Median(ansible) / warmMedian >= 10 ? "met" : "NOT met")} ({Median(ansible) / warmMedian:0.0}x)");
return 0;

static void Check(IReadOnlyList<HostInventoryResult> results)
{
    var offline = results.OfType<HostInventoryResult.Offline>().ToArray();
    if (offline.Length > 0)
        throw new InvalidOperationException("Hosts offline: " + string.Join("; ", offline.Select(o => $"{o.HostId}: {o.Failure}")));
}
