using System.Collections.Immutable;
using Superbridge.Core.Allocation;
using Superbridge.Core.Commands;
using Superbridge.Core.Model;
using Superbridge.Core.Observed;
using Superbridge.Lab;
using Superbridge.Operations;
using Superbridge.Ssh.Apply;
using Superbridge.Ssh.Audit;
using Superbridge.Ssh.Connections;
using Superbridge.Ssh.Inventory;

namespace Superbridge.Ssh.Tests.EndToEnd;

/// <summary>
/// The product's apply path wired to the lab: a pool with an in-memory audit, the inventory service, the product's
/// operation service (<see cref="LabApplier"/>), and the lab hosts as <see cref="ApplyHost"/>s (root or the sudo user).
/// </summary>
internal sealed class LabSegments : IAsyncDisposable
{
    public static readonly SshOptions Options = new()
    {
        ConnectTimeout = TimeSpan.FromSeconds(5),
        CommandTimeout = TimeSpan.FromSeconds(45),
    };

    private LabSegments(LabEnvironment lab, bool useSudo)
    {
        Lab = lab;
        UseSudo = useSudo;
        Pool = SshConnectionPool.Create(Options, TimeProvider.System, Audit);
        Inventory = new HostInventoryService(Pool, TimeProvider.System);
        Applier = new LabApplier(Pool, Inventory, Locks, TimeProvider.System);
    }

    public LabEnvironment Lab { get; }
    public bool UseSudo { get; }
    public InMemoryAuditSink Audit { get; } = new();
    public SshConnectionPool Pool { get; }
    public HostInventoryService Inventory { get; }
    public HostLocks Locks { get; } = new();
    public LabApplier Applier { get; }

    public static LabSegments Create(LabEnvironment lab, bool useSudo = false) => new(lab, useSudo);

    public static HostId Id(LabHost host) => new(host.Name);

    public HostTarget Target(LabHost host, HostKeyPolicy? key = null, HostCredentials? credentials = null) => new(
        Id(host),
        UseSudo ? HostEndpoint.SudoUser(host.Address, host.Users.Sudo, host.Port) : HostEndpoint.Root(host.Address, host.Port),
        credentials ?? HostCredentials.FromKeyFile(Lab.Description.KeyPath),
        key ?? HostKeyPolicy.Pin(host.HostKeyFingerprint));

    public static HostInfo Info(LabHost host) => new()
    {
        Id = Id(host),
        Address = host.Address,
        UnderlayDevice = "eth0",
        UnderlayMtu = 1500,
        LxcPath = host.LxcPath,
    };

    public ApplyHost Host(LabHost host) => new(Target(host), Info(host));

    public ImmutableArray<ApplyHost> Hosts(params LabHost[] hosts) => [.. hosts.Select(Host)];

    public static Dictionary<HostId, HostInfo> Infos(IEnumerable<ApplyHost> hosts) => hosts.ToDictionary(h => h.Id, h => h.Info);

    public async Task<Dictionary<HostId, ObservedHost>> ObserveAsync(IEnumerable<ApplyHost> hosts)
    {
        var list = hosts.ToList();
        var observer = new LabHostObserver(Inventory, list);
        var observed = await Task.WhenAll(list.Select(async h => (h.Id, Host: await observer.ObserveAsync(h))));
        return observed.ToDictionary(o => o.Id, o => o.Host);
    }

    /// <summary>Observes the hosts again and asserts each is as <paramref name="before"/> (what a segment may change).</summary>
    public async Task AssertAsBeforeAsync(IReadOnlyDictionary<HostId, ObservedHost> before, IReadOnlyCollection<ApplyHost> hosts)
    {
        var after = await ObserveAsync(hosts);
        foreach (var host in hosts)
        {
            var was = HostSnapshot.Of(before[host.Id]);
            var now = HostSnapshot.Of(after[host.Id]);
            Assert.True(was.SameAs(now), $"{host.Id} differs after teardown:\n{was.Diff(now)}");
        }
    }

    /// <summary>Allocates the spec against the hosts' current state, as the dashboard does before the first apply.</summary>
    public async Task<Segment> AllocateAsync(SegmentSpec spec, IReadOnlyCollection<ApplyHost> hosts)
    {
        var observed = await ObserveAsync(hosts);
        var allocated = SegmentAllocator.Allocate(spec, Infos(hosts), [], observed);
        Assert.True(allocated.IsOk, string.Join("; ", allocated.Errors));
        return allocated.Value;
    }

    /// <summary>A VXLAN segment over the hosts, routed (DHCP + NAT) by the first, with the given containers attached.</summary>
    public static SegmentSpec VxlanSpec(string name, string bridge, string gateway, (string Start, string End) range,
        IReadOnlyList<LabHost> members, params (LabHost Host, string Container)[] attachments) => new()
    {
        Name = name,
        Bridge = bridge,
        Transport = Transport.Vxlan,
        Members = [.. members.Select(Id)],
        Router = new RouterSpec
        {
            Host = Id(members[0]),
            Gateway = gateway,
            DhcpRange = new DhcpRange(range.Start, range.End),
            LeaseTime = "1h",
            Dns = false,
            Nat = true,
        },
        Attachments = [.. attachments.Select(a => new AttachmentSpec(Id(a.Host), a.Container))],
    };

    /// <summary>
    /// Last-resort cleanup when the product's own teardown did not finish: removes whatever the segment may have left
    /// on the lab hosts by name (devices, dnsmasq, NAT rule, forwarding, container links), ignoring errors.
    /// </summary>
    public async Task ScrubAsync(Segment segment, string? natNetwork = null)
    {
        var spec = segment.Spec;
        foreach (var host in Lab.Description.AllHosts.Where(h => spec.Members.Contains(Id(h))))
        {
            var devices = segment.Allocation.VxlanDevices.Where(d => d.Host == Id(host)).Select(d => d.Device)
                .Concat(segment.Allocation.Links.Where(l => l.A == Id(host)).Select(l => l.DeviceA))
                .Concat(segment.Allocation.Links.Where(l => l.B == Id(host)).Select(l => l.DeviceB));
            var script = new List<string>();
            foreach (var device in devices) script.Add($"ip link del dev {device} 2>/dev/null");
            script.Add($"ip link del dev {spec.Bridge} 2>/dev/null");
            script.Add($"[ -s {DnsmasqCommands.PidFile(spec.Bridge)} ] && pkill -F {DnsmasqCommands.PidFile(spec.Bridge)}");
            script.Add($"rm -f {DnsmasqCommands.PidFile(spec.Bridge)} {DnsmasqCommands.LeaseFile(spec.Bridge)}");
            if (spec.Encryption == Encryption.Ipsec)
                script.Add($"rm -f /etc/swanctl/conf.d/superbridge-{spec.Name}.*; command -v swanctl >/dev/null && swanctl --load-all --noprompt >/dev/null 2>&1");
            if (natNetwork is not null)
                script.Add($"while iptables -t nat -D POSTROUTING -s {natNetwork} -j SB-{spec.Bridge} 2>/dev/null; do :; done; " +
                    $"iptables -t nat -F SB-{spec.Bridge} 2>/dev/null; iptables -t nat -X SB-{spec.Bridge} 2>/dev/null");
            if (spec.Router?.Host == Id(host)) script.Add("sysctl -qw net.ipv4.ip_forward=0");
            foreach (var attachment in spec.Attachments.Where(a => a.Host == Id(host)))
            {
                var config = $"{host.LxcPath}/{attachment.Container}/config";
                script.Add($"if grep -q '^lxc.net.0.link = {spec.Bridge}$' {config}; then sed -i '/^lxc\\.net\\.0\\.link = {spec.Bridge}$/d' {config}; lxc-stop -k -n {attachment.Container}; fi");
                script.Add($"lxc-info -s -n {attachment.Container} | grep -q RUNNING || lxc-start -n {attachment.Container}");
            }
            script.Add("true");
            await Lab.SshAsRootAsync(host, string.Join("\n", script), TimeSpan.FromSeconds(60));
        }
    }

    public async ValueTask DisposeAsync() => await Pool.DisposeAsync();
}

/// <summary>
/// The parts of a host's state a segment may change, with what changes on every container restart left out (the host
/// ends of container veths get new random names, so links, addresses and fdb entries of veths are not compared).
/// </summary>
internal sealed record HostSnapshot(
    ImmutableArray<string> Links,
    ImmutableArray<string> Addresses,
    ImmutableArray<string> Fdb,
    ImmutableArray<string> L2tp,
    ImmutableArray<string> NatRules,
    ImmutableArray<string> FilterRules,
    ImmutableArray<string> Dnsmasq,
    string? Ipv4Forward,
    ImmutableArray<string> Containers,
    ImmutableArray<string> Boot)
{
    public static HostSnapshot Of(ObservedHost host)
    {
        var veths = host.Links.Where(l => l.Kind == "veth" && l.Name.StartsWith("veth", StringComparison.Ordinal)).Select(l => l.Name).ToHashSet();
        return new HostSnapshot(
            [.. host.Links.Where(l => !veths.Contains(l.Name)).Select(l => $"{l.Name} {l.Kind} master={l.Master} mtu={l.Mtu} up={l.IsUp}").Order()],
            [.. host.Addresses.Where(a => !veths.Contains(a.Device)).Select(a => $"{a.Device} {a.Address}/{a.PrefixLength}").Order()],
            [.. host.Fdb.Where(f => !veths.Contains(f.Device)).Select(f => $"{f.Device} {f.Mac} dst={f.Destination} master={f.Master}").Order()],
            [.. host.L2tpTunnels.Select(t => $"tunnel {t.TunnelId}").Concat(host.L2tpSessions.Select(s => $"session {s.InterfaceName}")).Order()],
            [.. host.NatRules.Order()],
            [.. host.FilterRules.Order()],
            [.. host.Dnsmasq.Select(d => string.Join(' ', d.Arguments)).Order()],
            host.Ipv4Forward,
            [.. host.Containers.Select(c => $"{c.Name} {c.State} link={c.ConfiguredLink ?? "none"}").Order()],
            [.. host.Boot.Files.Select(f => $"file {f.Path}").Concat(host.Boot.EnabledUnits.Select(u => $"enabled {u}")).Order()]);
    }

    /// <summary>Every line that differs, for an assertion message.</summary>
    public string Diff(HostSnapshot after)
    {
        static IEnumerable<string> Lines(HostSnapshot s) =>
            s.Links.Select(x => "link " + x).Concat(s.Addresses.Select(x => "addr " + x)).Concat(s.Fdb.Select(x => "fdb " + x))
                .Concat(s.L2tp.Select(x => "l2tp " + x)).Concat(s.NatRules.Select(x => "nat " + x))
                .Concat(s.FilterRules.Select(x => "filter " + x)).Concat(s.Dnsmasq.Select(x => "dnsmasq " + x))
                .Append($"ip_forward {s.Ipv4Forward}").Concat(s.Containers.Select(x => "container " + x)).Concat(s.Boot.Select(x => "boot " + x));
        var before = Lines(this).ToList();
        var now = Lines(after).ToList();
        return string.Join("\n", before.Except(now).Select(l => "- " + l).Concat(now.Except(before).Select(l => "+ " + l)));
    }

    public bool SameAs(HostSnapshot other) => Diff(other).Length == 0;
}
