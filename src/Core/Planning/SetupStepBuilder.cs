using Superbridge.Core.Allocation;
using Superbridge.Core.Commands;
using Superbridge.Core.Model;
using Superbridge.Core.Observed;
using Superbridge.Core.Planning.Steps;
using Superbridge.Core.Validation;

namespace Superbridge.Core.Planning;

/// <summary>
/// Expands a validated segment into every step each member host needs, in dependency order:
/// modules, bridge, IPsec, firewall openings, tunnels, router, uplinks, attachments, boot files. Teardown is this list reversed.
/// One host at a time, so a planner that drops most steps (observed state says done) lets them die young.
/// </summary>
internal sealed class SetupStepBuilder
{
    private readonly Segment _segment;
    private readonly IReadOnlyDictionary<HostId, HostInfo> _hosts;
    private readonly IReadOnlyDictionary<HostId, ObservedHost>? _observed;
    private readonly int _mtu;
    /// <summary>Each member's peer address: what the others send to (their <c>remote</c>), and its IKE identity.</summary>
    private readonly Dictionary<HostId, string> _addresses;
    private readonly ILookup<HostId, LinkAllocation> _linkEnds;

    public SetupStepBuilder(Segment segment, IReadOnlyDictionary<HostId, HostInfo> hosts, IReadOnlyDictionary<HostId, ObservedHost>? observed, int mtu)
    {
        _segment = segment;
        _hosts = hosts;
        _observed = observed;
        _mtu = mtu;
        _addresses = segment.Spec.Members.ToDictionary(m => m, m => ObservedIndex.Canonical(hosts[m].Address));
        // Each link seen from each of its ends, in link order.
        _linkEnds = segment.Allocation.Links.SelectMany(l => new[] { l, l.Reversed() }).ToLookup(end => end.A);
    }

    public IReadOnlyList<HostId> Hosts => _segment.Spec.Members;

    public static Dictionary<HostId, List<StepDraft>> Build(
        Segment segment, IReadOnlyDictionary<HostId, HostInfo> hosts, IReadOnlyDictionary<HostId, ObservedHost>? observed, int mtu)
    {
        var builder = new SetupStepBuilder(segment, hosts, observed, mtu);
        return builder.Hosts.ToDictionary(h => h, builder.ForHost);
    }

    public List<StepDraft> ForHost(HostId member)
    {
        var spec = _segment.Spec;
        var allocation = _segment.Allocation;
        var list = new List<StepDraft>();
        foreach (var module in ModuleSteps.For(spec.Transport, SegmentValidator.Family(_hosts[member])))
            list.Add(ModuleSteps.Load(module));
        list.AddRange(BridgeSteps.For(spec.Bridge, _mtu, spec.Stp));
        if (spec.Encryption == Encryption.Ipsec) AddIpsec(list, spec, member);
        AddFirewall(list, spec, member);

        if (spec.Transport == Transport.Vxlan)
        {
            var device = allocation.VxlanDevices.First(d => d.Host == member);
            var others = spec.Members.Where(m => m != member).ToList();
            // One device, one local: the address toward the first peer (peers beyond other routes are not bound apart).
            var local = others.Count > 0 ? Local(member, others[0]) : _addresses[member];
            var peers = others.Select(m => _addresses[m]).ToList();
            list.AddRange(VxlanSteps.For(device.Device, allocation.Vni!.Value, local, _hosts[member].UnderlayDevice, peers, spec.Bridge, _mtu, _observed is not null));
        }
        else
        {
            foreach (var end in _linkEnds[member]) AddLinkEnd(list, spec, end);
        }

        if (spec.Router is { } router && router.Host == member) list.AddRange(RouterSteps.For(router, allocation.Router!, spec.Bridge, _mtu));
        foreach (var uplink in spec.Uplinks.Where(u => u.Host == member)) list.AddRange(UplinkSteps.For(uplink.Interface, spec.Bridge));

        foreach (var attachment in allocation.Attachments)
        {
            if (attachment.Host != member) continue;
            ObservedContainer? container = null;
            if (_observed is not null && _observed.TryGetValue(member, out var host))
                container = host.Containers.FirstOrDefault(c => c.Name == attachment.Container);
            if (container is null) continue; // teardown of a container that no longer exists: nothing to undo
            var running = container.State == "RUNNING";
            list.AddRange(AttachmentSteps.For(attachment, _hosts[member].LxcPath, spec.Bridge, running));
            // Found stopped though it ran when attached (a reboot, or an apply cut short between its stop and start):
            // the steps above link it to the bridge if it is not yet, so it starts on the bridge.
            if (!running && attachment.WasRunning)
                list.Add(AttachmentSteps.StartAgain(attachment, _hosts[member].LxcPath, spec.Bridge));
        }

        // Only where systemd is observed as the host's own init: elsewhere a boot unit would be written for nobody.
        if (_observed is not null && _observed.TryGetValue(member, out var observedHost) && observedHost.Boot.Persistence == Persistence.Systemd)
            list.AddRange(BootSteps.For(spec, member, list));
        return list;
    }

    /// <summary>A key and a connection per peer (each link's other end, or every other VXLAN member), then the plaintext guard.</summary>
    private void AddIpsec(List<StepDraft> list, SegmentSpec spec, HostId member)
    {
        var peers = new List<(string Peer, IReadOnlyList<IpsecSelector> Children)>();
        void Add(HostId peer, string name, IReadOnlyList<IpsecSelector> children)
        {
            list.AddRange(IpsecSteps.For(spec.Name, name, new IpsecEnds(Local(member, peer), _addresses[member], _addresses[peer]), children));
            peers.Add((_addresses[peer], children));
        }
        if (spec.Transport == Transport.Vxlan)
        {
            foreach (var peer in spec.Members.Where(m => m != member))
            {
                var name = IpsecSteps.Name(spec.Name, member, peer);
                Add(peer, name, IpsecSteps.Children(spec.Transport, name));
            }
        }
        else
        {
            foreach (var end in _linkEnds[member])
            {
                var name = IpsecSteps.Name(spec.Name, end.A, end.B);
                Add(end.B, name, IpsecSteps.Children(spec.Transport, name, end.PortA, end.PortB));
            }
        }
        list.AddRange(EspGuardSteps.For(spec.Bridge, peers));
    }

    /// <summary>
    /// Openings in the host's filter table, per hook, where observed state says the hook drops what it does not accept
    /// (or the segment's chain is there already, so teardown finds it even after the host stopped filtering). IPv4 only:
    /// the filter table read is iptables', and IPv6 tunnel packets go through ip6tables.
    /// </summary>
    private void AddFirewall(List<StepDraft> list, SegmentSpec spec, HostId member)
    {
        if (_observed is null || !_observed.TryGetValue(member, out var host)
            || SegmentValidator.Family(_hosts[member]) != System.Net.Sockets.AddressFamily.InterNetwork) return;
        var table = FilterTable.From(host.FilterRules);
        bool Needs(bool input) => table.Blocks(FirewallCommands.Hook(input)) is not null
            || host.FilterRules.Contains(FirewallCommands.ChainText(input, spec.Bridge));
        var router = spec.Router is { } r && r.Host == member ? r : null;
        if (Needs(input: true))
        {
            var peers = spec.Transport == Transport.Vxlan
                ? spec.Members.Where(m => m != member).Select(m => (_addresses[m], (int?)null))
                : _linkEnds[member].Select(end => (_addresses[end.B], end.PortA));
            list.AddRange(FirewallSteps.For(true, spec.Bridge,
                FirewallSteps.Inbound(spec.Transport, spec.Encryption == Encryption.Ipsec, peers, spec.Bridge, router)));
        }
        if (Needs(input: false)) list.AddRange(FirewallSteps.For(false, spec.Bridge, FirewallSteps.Forwarded(spec.Bridge, router)));
    }

    /// <summary>What <paramref name="member"/>'s tunnel toward <paramref name="peer"/> binds as its own end.</summary>
    private string Local(HostId member, HostId peer) =>
        TunnelAddresses.Local(_hosts[member], _observed?.GetValueOrDefault(member), _hosts[peer]).Address;

    /// <summary>One end, oriented so A is the host being planned.</summary>
    private void AddLinkEnd(List<StepDraft> list, SegmentSpec spec, LinkAllocation end)
    {
        var local = Local(end.A, end.B);
        var remote = _addresses[end.B];
        if (spec.Transport == Transport.Gretap)
        {
            var family = local.Contains(':') ? System.Net.Sockets.AddressFamily.InterNetworkV6 : System.Net.Sockets.AddressFamily.InterNetwork;
            list.AddRange(GretapSteps.For(end.DeviceA, family, local, remote, end.GreKey!.Value, spec.Bridge, _mtu));
        }
        else
        {
            list.AddRange(L2tpSteps.For(end, local, remote, spec.Transport == Transport.L2tpv3Udp, spec.Bridge, _mtu));
        }
    }
}
