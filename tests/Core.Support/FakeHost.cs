using System.Collections.Immutable;
using System.Text.Json;
using Superbridge.Core.Commands;
using Superbridge.Core.Observed;

namespace Superbridge.Core.Support;

/// <summary>
/// A host that understands exactly the argv Superbridge emits and nothing else, and reports its state
/// as an <see cref="ObservedHost"/>. Unknown or malformed commands, and commands the real tool would
/// refuse (adding a device that exists, deleting one that doesn't), throw, so tests catch them.
/// </summary>
public sealed class FakeHost
{
    private readonly string _name;
    private readonly List<ObservedLink> _links = [];
    private readonly List<ObservedAddress> _addresses = [];
    private readonly List<ObservedFdbEntry> _fdb = [];
    private readonly List<ObservedL2tpTunnel> _tunnels = [];
    private readonly List<ObservedL2tpSession> _sessions = [];
    private readonly List<string> _nat = [];
    private readonly List<string> _filter = [];
    private readonly List<ObservedDnsmasq> _dnsmasq = [];
    private readonly Dictionary<string, ObservedContainer> _containers = [];
    private readonly HashSet<string> _modules = [];
    private string _forward;
    private readonly Dictionary<string, string> _files = [];
    private readonly SortedSet<string> _enabledUnits = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _secretFiles = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _keys = [];
    private readonly List<string> _reauthenticated = [];

    public FakeHost(string name, string forward = "0", params ObservedContainer[] containers)
    {
        _name = name;
        _forward = forward;
        foreach (var c in containers) _containers[c.Name] = c;
        _links.Add(new ObservedLink { Name = "eth0", Mtu = 1500, IsUp = true });
    }

    public IReadOnlyCollection<string> Modules => _modules;

    /// <summary>What the kernel can do; every feature unless a test takes one away.</summary>
    public KernelFeatures Features { get; set; } = new(true, true, true, true, true, true);

    /// <summary>Current net.ipv4.ip_forward.</summary>
    public string Ipv4Forward => _forward;

    public void SetIpv4Forward(string value) => _forward = value;

    public void RemoveContainer(string name) => _containers.Remove(name);

    /// <summary>Whether PID 1 is systemd (boot files are then planned and written); false models a namespace host.</summary>
    public bool Systemd { get; set; }

    /// <summary>Superbridge's boot files on this host, by path.</summary>
    public IReadOnlyDictionary<string, string> Files => _files;

    public IReadOnlyCollection<string> EnabledUnits => _enabledUnits;

    /// <summary>Superbridge's key files on this host (their content is never observed).</summary>
    public IReadOnlyCollection<string> SecretFiles => _secretFiles;

    /// <summary>The key each key file holds, by path: what its writer read from the environment it was given.</summary>
    public IReadOnlyDictionary<string, string> Keys => _keys;

    /// <summary>The IKE SAs re-authenticated (SwanctlCommands.Reauthenticate), in order.</summary>
    public IReadOnlyList<string> Reauthenticated => _reauthenticated;

    /// <summary>What the host has for IPsec; nothing unless a test installs strongSwan.</summary>
    public IpsecFacts Ipsec { get; set; } = IpsecFacts.Unknown;

    private readonly Dictionary<string, int?> _paths = [];

    /// <summary>
    /// The largest IP packet that reaches <paramref name="remote"/> with don't-fragment set; null: the path drops every
    /// probe. A path never set carries whatever the interface sends.
    /// </summary>
    public void SetPath(string remote, int? mtu) => _paths[remote] = mtu;

    /// <summary>What don't-fragment probes from this host to <paramref name="remote"/> find (null: nothing crossed).</summary>
    public int? ProbePath(string remote, int interfaceMtu) =>
        !_paths.TryGetValue(remote, out var mtu) ? interfaceMtu : mtu is { } m ? Math.Min(m, interfaceMtu) : null;

    public ObservedHost Observe() => new()
    {
        Hostname = _name,
        Features = Features,
        Links = [.. _links],
        Addresses = [.. _addresses],
        Fdb = [.. _fdb],
        L2tpTunnels = [.. _tunnels],
        L2tpSessions = [.. _sessions],
        NatRules = [.. _nat],
        FilterRules = [.. _filter],
        Dnsmasq = [.. _dnsmasq],
        Containers = [.. _containers.Values.OrderBy(c => c.Name)],
        Ipv4Forward = _forward,
        Boot = (Systemd
            ? new BootState(Persistence.Systemd, "PID 1 is systemd", [], [.. _enabledUnits])
            : new BootState(Persistence.None, "PID 1 is not systemd", [], []))
            with { Files = [.. _files.Select(f => new ObservedFile(f.Key, f.Value))], SecretFiles = [.. _secretFiles] },
        Ipsec = Ipsec,
    };

    /// <summary>State as text, for "left exactly as it was" comparisons (modules are left loaded on purpose).</summary>
    public string Snapshot() => JsonSerializer.Serialize(Observe());

    /// <param name="environment">What the command finds in its environment (a step's key, PlanStep.Secret).</param>
    public void Run(Command command, IReadOnlyDictionary<string, string>? environment = null)
    {
        var a = command.Argv;
        switch (a[0])
        {
            case "modprobe": _modules.Add(a[1]); return;
            case "mkdir" or "test" or "grep": return;
            case "ip": Ip(a); return;
            case "bridge": Bridge(a); return;
            case "sysctl": _forward = a[2].Split('=')[1]; return;
            case "iptables": Iptables(a); return;
            case "dnsmasq":
                var iface = a.Single(w => w.StartsWith("--interface=", StringComparison.Ordinal))["--interface=".Length..];
                var pid = a.Single(w => w.StartsWith("--pid-file=", StringComparison.Ordinal))["--pid-file=".Length..];
                if (_dnsmasq.Any(d => d.PidFile == pid)) throw new InvalidOperationException("dnsmasq already running: " + pid);
                _dnsmasq.Add(new ObservedDnsmasq(100 + _dnsmasq.Count, iface, pid, ["/usr/sbin/dnsmasq", .. a.Skip(1)]));
                return;
            case "sh" when a[2].StartsWith("pkill -F", StringComparison.Ordinal):
                _dnsmasq.RemoveAll(d => d.PidFile == a[4]);
                return;
            case "sh" when a[2] == FloodAppendScript || a[2] == FloodDeleteScript: Flood(a); return;
            case "sed": Sed(a); return;
            // BootCommands.Write and Remove: body, path, header.
            case "sh" when a[2].StartsWith("mkdir -p \"${2%/*}\"", StringComparison.Ordinal):
                _files[a[5]] = $"{a[6]} fake\n{a[4]}";
                return;
            case "sh" when a[2].StartsWith("rm -f \"$1\"", StringComparison.Ordinal):
                _files.Remove(a[4]);
                _secretFiles.Remove(a[4]);
                _keys.Remove(a[4]);
                return;
            // SwanctlCommands.WriteSecrets (path first; the key comes from the environment) and RemoveConnection.
            case "sh" when a[2].StartsWith("umask 077 && mkdir", StringComparison.Ordinal):
                if (!Ipsec.Swanctl) throw new InvalidOperationException("swanctl: command not found");
                _secretFiles.Add(a[4]);
                var variable = System.Text.RegularExpressions.Regex.Match(a[2], @"\$(SB_KEY_\w+)").Groups[1].Value;
                if (environment?.TryGetValue(variable, out var key) == true) _keys[a[4]] = key;
                else _keys.Remove(a[4]);
                return;
            case "sh" when a[2].StartsWith("swanctl --list-sas", StringComparison.Ordinal):
                _reauthenticated.Add(a[4]);
                return;
            case "sh" when a[2].StartsWith("swanctl --terminate", StringComparison.Ordinal):
                _files.Remove(a[4]);
                return;
            case "systemctl" when Systemd && a[1] == "enable": _enabledUnits.Add(a[2]); return;
            case "systemctl" when Systemd && a[1] == "disable": _enabledUnits.Remove(a[2]); return;
            case "lxc-stop": SetState(a[2], "RUNNING", "STOPPED"); return;
            case "lxc-start": SetState(a[2], "STOPPED", "RUNNING"); return;
        }
        throw new InvalidOperationException("FakeHost does not know: " + command);
    }

    private void Ip(ImmutableArray<string> a)
    {
        if (a[1] == "link" && a[2] == "add")
        {
            var name = a[3];
            if (Find(name) is not null) throw new InvalidOperationException($"RTNETLINK answers: File exists ({name})");
            var kind = a[5];
            var link = new ObservedLink { Name = name, Kind = kind, Mtu = 1500 };
            if (kind is "gretap" or "ip6gretap")
                link = link with { Gretap = new GretapInfo(After(a, "local"), After(a, "remote"), uint.Parse(After(a, "key")!), uint.Parse(After(a, "key")!), int.Parse(After(a, "ttl")!)) };
            if (kind == "vxlan")
                link = link with { Vxlan = new VxlanInfo(uint.Parse(After(a, "id")!), After(a, "local"), int.Parse(After(a, "dstport")!), After(a, "dev")) };
            if (kind == "bridge") link = link with { StpEnabled = false };
            _links.Add(link);
            return;
        }
        if (a[1] == "link" && a[2] == "del") { RemoveLink(a[4]); return; }
        if (a[1] == "link" && a[2] == "set")
        {
            var name = a[4];
            var link = Find(name) ?? throw new InvalidOperationException($"Cannot find device \"{name}\"");
            link = a[5] switch
            {
                "mtu" => link with { Mtu = int.Parse(a[6]) },
                "up" => link with { IsUp = true },
                "down" => link with { IsUp = false },
                "master" => link with { Master = Find(a[6])?.Name ?? throw new InvalidOperationException("no bridge " + a[6]) },
                "nomaster" => link with { Master = null },
                "type" => link with { StpEnabled = a[8] == "1" },
                _ => throw new InvalidOperationException("ip link set " + a[5]),
            };
            Replace(link);
            return;
        }
        if (a[1] == "addr")
        {
            var (address, prefix) = (a[3].Split('/')[0], int.Parse(a[3].Split('/')[1]));
            var entry = new ObservedAddress(a[5], "inet", address, prefix);
            if (a[2] == "add") { if (_addresses.Contains(entry)) throw new InvalidOperationException("address exists"); _addresses.Add(entry); }
            else if (!_addresses.Remove(entry)) throw new InvalidOperationException("no such address");
            return;
        }
        if (a[1] == "l2tp" && a[2] == "add" && a[3] == "tunnel")
        {
            var id = uint.Parse(After(a, "tunnel_id")!);
            if (_tunnels.Any(t => t.TunnelId == id)) throw new InvalidOperationException("tunnel exists");
            int? sport = After(a, "udp_sport") is { } s ? int.Parse(s) : null;
            int? dport = After(a, "udp_dport") is { } d ? int.Parse(d) : null;
            _tunnels.Add(new ObservedL2tpTunnel(id, uint.Parse(After(a, "peer_tunnel_id")!), After(a, "encap")!.ToUpperInvariant(), After(a, "local")!, After(a, "remote")!, sport, dport));
            return;
        }
        if (a[1] == "l2tp" && a[2] == "del" && a[3] == "tunnel")
        {
            var id = uint.Parse(a[5]);
            if (_sessions.Any(s => s.TunnelId == id)) throw new InvalidOperationException("tunnel still has sessions in this fake");
            if (_tunnels.RemoveAll(t => t.TunnelId == id) != 1) throw new InvalidOperationException("no such tunnel");
            return;
        }
        if (a[1] == "l2tp" && a[2] == "add" && a[3] == "session")
        {
            var tunnel = uint.Parse(After(a, "tunnel_id")!);
            if (_tunnels.All(t => t.TunnelId != tunnel)) throw new InvalidOperationException("no tunnel for session");
            var name = After(a, "name")!;
            _sessions.Add(new ObservedL2tpSession(uint.Parse(After(a, "session_id")!), uint.Parse(After(a, "peer_session_id")!), tunnel, name));
            _links.Add(new ObservedLink { Name = name, Kind = "l2tp", Mtu = 1500 });
            return;
        }
        if (a[1] == "l2tp" && a[2] == "del" && a[3] == "session")
        {
            var session = _sessions.Single(s => s.TunnelId == uint.Parse(a[5]) && s.SessionId == uint.Parse(a[7]));
            _sessions.Remove(session);
            RemoveLink(session.InterfaceName);
            return;
        }
        throw new InvalidOperationException("FakeHost does not know: ip " + string.Join(' ', a.Skip(1)));
    }

    private void Bridge(ImmutableArray<string> a)
    {
        var entry = new ObservedFdbEntry(a[5], a[3], a[7], null);
        if (Find(a[5]) is null) throw new InvalidOperationException("no device " + a[5]);
        if (a[2] == "append") _fdb.Add(entry);
        else if (!_fdb.Remove(entry)) throw new InvalidOperationException("no such fdb entry");
    }

    private static readonly string FloodAppendScript = LinuxCommands.FloodAppend("d", []).Argv[2];
    private static readonly string FloodDeleteScript = LinuxCommands.FloodDelete("d", []).Argv[2];

    /// <summary>The batch flood scripts: like the real ones, they fail without the device and write only what differs.</summary>
    private void Flood(ImmutableArray<string> a)
    {
        var device = a[4];
        if (Find(device) is null) throw new InvalidOperationException($"Cannot find device \"{device}\"");
        foreach (var peer in a.Skip(5))
        {
            var entry = new ObservedFdbEntry(device, LinuxCommands.AllZerosMac, peer, null);
            if (a[2] == FloodAppendScript) { if (!_fdb.Contains(entry)) _fdb.Add(entry); }
            else _fdb.Remove(entry);
        }
    }

    /// <summary>iptables -t TABLE ACTION CHAIN ...: chains, appended and inserted rules, as <c>-S</c> prints them.</summary>
    private void Iptables(ImmutableArray<string> a)
    {
        var rules = a[2] == "nat" ? _nat : _filter;
        string[] builtIn = a[2] == "nat" ? ["POSTROUTING"] : ["INPUT", "OUTPUT", "FORWARD"];
        var chain = a[4];
        switch (a[3])
        {
            case "-N":
                if (rules.Contains("-N " + chain)) throw new InvalidOperationException("iptables: Chain already exists.");
                rules.Add("-N " + chain);
                return;
            case "-X":
                if (rules.Any(r => r.StartsWith($"-A {chain} ", StringComparison.Ordinal) || r.EndsWith(" -j " + chain, StringComparison.Ordinal)))
                    throw new InvalidOperationException("iptables: Directory not empty (chain in use).");
                if (!rules.Remove("-N " + chain)) throw new InvalidOperationException("iptables: No chain/target/match by that name.");
                return;
        }
        if (!builtIn.Contains(chain) && !rules.Contains("-N " + chain)) throw new InvalidOperationException("iptables: No chain/target/match by that name.");
        var rule = "-A " + string.Join(' ', a.Skip(4));
        if (a[3] is "-A" or "-I") rules.Add(rule);
        else if (a[3] == "-D" && !rules.Remove(rule)) throw new InvalidOperationException("iptables: Bad rule");
    }

    private void Sed(ImmutableArray<string> a)
    {
        var value = a[3].Split("lxc.net.0.link = ")[1].TrimEnd('/');
        var container = a[4].Split('/')[^2];
        var c = _containers[container];
        if (c.ConfiguredLink is null) return;
        _containers[container] = c with { ConfiguredLink = value };
    }

    private void SetState(string container, string from, string to)
    {
        var c = _containers[container];
        if (c.State != from) throw new InvalidOperationException($"{container} is {c.State}");
        _containers[container] = c with { State = to };
    }

    private ObservedLink? Find(string name) => _links.FirstOrDefault(l => l.Name == name);

    private void Replace(ObservedLink link) => _links[_links.FindIndex(l => l.Name == link.Name)] = link;

    private void RemoveLink(string name)
    {
        if (_links.RemoveAll(l => l.Name == name) != 1) throw new InvalidOperationException($"Cannot find device \"{name}\"");
        _fdb.RemoveAll(f => f.Device == name);
        _addresses.RemoveAll(x => x.Device == name);
        for (var i = 0; i < _links.Count; i++)
            if (_links[i].Master == name) _links[i] = _links[i] with { Master = null };
    }

    private static string? After(ImmutableArray<string> a, string keyword)
    {
        var i = a.IndexOf(keyword);
        return i >= 0 && i + 1 < a.Length ? a[i + 1] : null;
    }
}

