// Times the planner on large segments: a 200-host VXLAN segment and a 200-link gretap tree (201 hosts).
// Run: dotnet run -c Release --project bench/Core.Bench
using System.Diagnostics;
using Superbridge.Core.Allocation;
using Superbridge.Core.Model;
using Superbridge.Core.Observed;
using Superbridge.Core.Planning;

const int Warmup = 5;
const int Runs = 21;
const double TargetMs = 50;

var features = new KernelFeatures(true, true, true, true, true, true);
Dictionary<HostId, HostInfo> Hosts(int count) => Enumerable.Range(1, count).ToDictionary(
    n => new HostId($"h{n}"),
    n => new HostInfo { Id = $"h{n}", Address = $"10.{n / 250}.{n % 250}.1", Features = features });

RouterSpec router = new()
{
    Host = "h1", Gateway = "172.16.0.1/16", DhcpRange = new DhcpRange("172.16.1.1", "172.16.255.254"), Nat = true,
};

var vxlanHosts = Hosts(200);
var vxlan = new SegmentSpec
{
    Name = "bench", Transport = Transport.Vxlan, Members = [.. vxlanHosts.Keys], Router = router,
};

var treeHosts = Hosts(201);
var tree = new SegmentSpec
{
    Name = "bench", Transport = Transport.Gretap, Members = [.. treeHosts.Keys], Router = router,
    // A binary tree: host i links to host i/2, 200 links.
    Links = [.. Enumerable.Range(2, 200).Select(i => new LinkSpec { A = $"h{i / 2}", B = $"h{i}" })],
};

var failed = false;
foreach (var (label, spec, hosts) in new[] { ("VXLAN, 200 hosts", vxlan, vxlanHosts), ("gretap tree, 200 links / 201 hosts", tree, treeHosts) })
{
    var segment = SegmentAllocator.Allocate(spec, hosts, []).Value;
    var allocate = Measure(() => _ = SegmentAllocator.Allocate(spec, hosts, []).Value);
    SegmentPlan plan = null!;
    var planTime = Measure(() => plan = SegmentPlanner.Plan(segment, hosts).Value);
    var teardown = Measure(() => _ = SegmentPlanner.PlanTeardown(segment, hosts).Value);
    var allocated = GC.GetAllocatedBytesForCurrentThread();
    SegmentPlanner.Plan(segment, hosts);
    allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
    Console.WriteLine($"{label}: {plan.StepCount} steps on {plan.Hosts.Length} hosts, {allocated / 1024.0 / 1024.0:F1} MB allocated per plan");
    Console.WriteLine($"  allocate  median {allocate.Median,7:F2} ms  min {allocate.Min,7:F2} ms");
    Console.WriteLine($"  plan      median {planTime.Median,7:F2} ms  min {planTime.Min,7:F2} ms  (target < {TargetMs} ms)");
    Console.WriteLine($"  teardown  median {teardown.Median,7:F2} ms  min {teardown.Min,7:F2} ms");
    failed |= planTime.Median >= TargetMs;
}
// Re-planning the applied VXLAN segment against observed state (the common case): zero steps expected.
{
    var segment = SegmentAllocator.Allocate(vxlan, vxlanHosts, []).Value;
    var observed = AppliedVxlan(segment, vxlanHosts);
    SegmentPlan plan = null!;
    var replan = Measure(() => plan = SegmentPlanner.Plan(segment, vxlanHosts, observed).Value);
    Console.WriteLine($"VXLAN, 200 hosts, re-plan against observed applied state: {plan.StepCount} steps, {plan.Drift.Length} drift");
    Console.WriteLine($"  plan      median {replan.Median,7:F2} ms  min {replan.Min,7:F2} ms  (target < {TargetMs} ms)");
    failed |= replan.Median >= TargetMs || plan.StepCount != 0;
}
return failed ? 1 : 0;

// What the 200 hosts report once the VXLAN segment is applied.
Dictionary<HostId, ObservedHost> AppliedVxlan(Segment segment, Dictionary<HostId, HostInfo> hosts)
{
    var vni = segment.Allocation.Vni!.Value;
    return segment.Allocation.VxlanDevices.ToDictionary(d => d.Host, d =>
    {
        var me = hosts[d.Host].Address;
        var isRouter = d.Host == segment.Spec.Router!.Host;
        return new ObservedHost
        {
            Hostname = d.Host.Value,
            Features = features,
            Ipv4Forward = "1",
            Links =
            [
                new ObservedLink { Name = "superbr0", Kind = "bridge", Mtu = 1450, IsUp = true },
                new ObservedLink { Name = d.Device, Kind = "vxlan", Mtu = 1450, IsUp = true, Master = "superbr0", Vxlan = new VxlanInfo(vni, me, 4789, null) },
            ],
            Fdb = [.. hosts.Values.Where(h => h.Address != me).Select(h => new ObservedFdbEntry(d.Device, "00:00:00:00:00:00", h.Address, null))],
            Addresses = isRouter ? [new ObservedAddress("superbr0", "inet", "172.16.0.1", 16)] : [],
            Dnsmasq = isRouter ? [new ObservedDnsmasq(1, "superbr0", "/run/superbridge/dnsmasq-superbr0.pid", [])] : [],
            NatRules = isRouter ? ["-A POSTROUTING -s 172.16.0.0/16 ! -d 172.16.0.0/16 -j MASQUERADE"] : [],
        };
    });
}

static (double Median, double Min) Measure(Action action)
{
    for (var i = 0; i < Warmup; i++) action();
    var times = new double[Runs];
    for (var i = 0; i < Runs; i++)
    {
        var watch = Stopwatch.StartNew();
        action();
        times[i] = watch.Elapsed.TotalMilliseconds;
    }
    Array.Sort(times);
    return (times[Runs / 2], times[0]);
}
