using System.Collections.Immutable;

namespace Superbridge.Core.Observed;

/// <summary>
/// Everything one inventory round trip learned about a host, already parsed.
/// The planner compares desired state against this; the dashboard shows it.
/// </summary>
public sealed record ObservedHost
{
    public required string Hostname { get; init; }
    public string KernelRelease { get; init; } = "";
    public string IprouteVersion { get; init; } = "";
    public required KernelFeatures Features { get; init; }
    public ImmutableArray<ObservedLink> Links { get; init; } = [];
    public ImmutableArray<ObservedAddress> Addresses { get; init; } = [];
    /// <summary>The main routing table, both families: where tunnels to peers would leave (see <see cref="RouteLookup"/>).</summary>
    public ImmutableArray<ObservedRoute> Routes { get; init; } = [];
    public ImmutableArray<ObservedFdbEntry> Fdb { get; init; } = [];
    public ImmutableArray<ObservedL2tpTunnel> L2tpTunnels { get; init; } = [];
    public ImmutableArray<ObservedL2tpSession> L2tpSessions { get; init; } = [];
    public ImmutableArray<ObservedContainer> Containers { get; init; } = [];
    /// <summary>Lines of <c>iptables -t nat -S</c>, verbatim.</summary>
    public ImmutableArray<string> NatRules { get; init; } = [];
    /// <summary>Lines of <c>iptables -t filter -S</c>, verbatim (empty from inventories older than that section).</summary>
    public ImmutableArray<string> FilterRules { get; init; } = [];
    /// <summary>The iptables backend, the other backend's filter table and nftables chains that drop (see <see cref="HostFirewall"/>).</summary>
    public HostFirewall Firewall { get; init; } = HostFirewall.Unknown;
    public ImmutableArray<ObservedDnsmasq> Dnsmasq { get; init; } = [];
    /// <summary>Value of net.ipv4.ip_forward ("0"/"1"), or null when unknown.</summary>
    public string? Ipv4Forward { get; init; }
    /// <summary>Whether and how the host brings segments back at boot, and the boot files found there.</summary>
    public BootState Boot { get; init; } = BootState.Unknown;
    /// <summary>Whether the host can protect tunnels with IPsec (strongSwan and xfrm).</summary>
    public IpsecFacts Ipsec { get; init; } = IpsecFacts.Unknown;
    /// <summary>The IKE SAs charon has (<c>swanctl --list-sas</c>); empty where charon is not running or swanctl is absent.</summary>
    public ImmutableArray<ObservedIkeSa> IpsecSas { get; init; } = [];

    public static ObservedHost Empty(string hostname) => new() { Hostname = hostname, Features = KernelFeatures.None };
}

/// <summary>Which transports the kernel can do (module present or built in) and whether LXC is installed.</summary>
public sealed record KernelFeatures(bool Gretap, bool L2tpv3, bool L2tpIp, bool Vxlan, bool Bridge, bool Lxc)
{
    public static KernelFeatures None { get; } = new(false, false, false, false, false, false);
}

/// <summary>One entry of <c>ip -j -d link show</c>.</summary>
public sealed record ObservedLink
{
    public required string Name { get; init; }
    public int Index { get; init; }
    /// <summary>linkinfo.info_kind: "bridge", "veth", "vxlan", "gretap", "l2tp", ... or "" for a physical device.</summary>
    public string Kind { get; init; } = "";
    public string? Master { get; init; }
    public int Mtu { get; init; }
    public string OperState { get; init; } = "";
    public bool IsUp { get; init; }
    public string? MacAddress { get; init; }
    public VxlanInfo? Vxlan { get; init; }
    public GretapInfo? Gretap { get; init; }
    public bool? StpEnabled { get; init; }
    /// <summary>
    /// STP state of this link as a bridge port ("forwarding", "listening", "learning", "blocking", "disabled"),
    /// from linkinfo.info_slave_data.state; null when the link is not a bridge port or <c>-d</c> was not given.
    /// </summary>
    public string? PortState { get; init; }
}

public sealed record VxlanInfo(uint Vni, string? Local, int DstPort, string? Dev)
{
    /// <summary>Unicast remote (<c>remote</c>) or multicast group (<c>group</c>), when the device has one; head-end replication lists peers in the FDB instead.</summary>
    public string? Remote { get; init; }
}

public sealed record GretapInfo(string? Local, string? Remote, uint? IKey, uint? OKey, int? Ttl);

/// <summary>One IPv4/IPv6 address from <c>ip -j addr show</c>.</summary>
public sealed record ObservedAddress(string Device, string Family, string Address, int PrefixLength);

/// <summary>One entry of <c>bridge -j fdb show</c>.</summary>
public sealed record ObservedFdbEntry(string Device, string Mac, string? Destination, string? Master);

/// <summary>One tunnel of <c>ip l2tp show tunnel</c>.</summary>
public sealed record ObservedL2tpTunnel(
    uint TunnelId, uint PeerTunnelId, string Encap, string Local, string Remote, int? UdpSourcePort, int? UdpDestinationPort);

/// <summary>One session of <c>ip l2tp show session</c>.</summary>
public sealed record ObservedL2tpSession(
    uint SessionId, uint PeerSessionId, uint TunnelId, string InterfaceName);

/// <summary>One container from <c>lxc-ls -f</c> plus its configured link.</summary>
public sealed record ObservedContainer
{
    public required string Name { get; init; }
    public required string State { get; init; }
    public ImmutableArray<string> Ipv4 { get; init; } = [];
    public bool Autostart { get; init; }
    /// <summary>lxc.net.0.link from the container's config, when set.</summary>
    public string? ConfiguredLink { get; init; }
    /// <summary>Host-side veth of the running container, when known.</summary>
    public string? HostVeth { get; init; }
    /// <summary>Every network of its config (lxc.net.N), in index order.</summary>
    public ImmutableArray<ContainerInterface> Interfaces { get; init; } = [];
}

/// <summary>One <c>lxc.net.N</c> network of a container's config: type (veth...), the bridge it joins, its name inside.</summary>
public sealed record ContainerInterface(int Index, string? Type, string? Link, string? Name);

/// <summary>A running dnsmasq process and the interface it serves.</summary>
public sealed record ObservedDnsmasq(int Pid, string? Interface, string? PidFile, ImmutableArray<string> Arguments);
