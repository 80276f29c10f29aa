using System.Collections.Immutable;
using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using Superbridge.Core.Model;
using Superbridge.Core.Observed;

namespace Superbridge.Ssh.Inventory;

/// <summary>
/// What the dashboard shows of one host, shaped for the web and the REST API (camelCase JSON:
/// <c>{containers:[{name,state,ipv4:[],autostart,bridge}], bridges:[{name,mtu,members:[{name,kind,container?,peerHostId?}]}],
/// tunnels:[...], features:{gretap,l2tpv3,vxlan,lxc}, ...}</c>; absent optional values are left out).
/// Built by <see cref="HostInventoryView.Create"/>.
/// </summary>
public sealed record HostInventory
{
    public required HostId HostId { get; init; }
    public required string Hostname { get; init; }
    public string KernelRelease { get; init; } = "";
    public string IprouteVersion { get; init; } = "";
    public required InventoryFeatures Features { get; init; }
    public ImmutableArray<InventoryContainer> Containers { get; init; } = [];
    public ImmutableArray<InventoryBridge> Bridges { get; init; } = [];
    public ImmutableArray<InventoryTunnel> Tunnels { get; init; } = [];
    public ImmutableArray<InventoryDnsmasq> Dnsmasq { get; init; } = [];
    /// <summary>Lines of <c>iptables -t nat -S</c>, verbatim.</summary>
    public ImmutableArray<string> NatRules { get; init; } = [];
    /// <summary>net.ipv4.ip_forward; null when it could not be read.</summary>
    public bool? Ipv4Forwarding { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? UnderlayDevice { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? UnderlayMtu { get; init; }
    /// <summary>The host's <c>lxc.lxcpath</c> as LXC reports it; null when LXC is not installed.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? LxcPath { get; init; }
    /// <summary>Sections that failed, as "section (`command`): what went wrong: stderr".</summary>
    public ImmutableArray<string> Problems { get; init; } = [];
}

/// <summary>What the kernel can carry and whether LXC is installed.</summary>
public sealed record InventoryFeatures(bool Gretap, bool L2tpv3, bool Vxlan, bool Lxc);

public sealed record InventoryContainer
{
    public required string Name { get; init; }
    public required string State { get; init; }
    public ImmutableArray<string> Ipv4 { get; init; } = [];
    public bool Autostart { get; init; }
    /// <summary>The bridge its host veth is enslaved to when running, else the configured <c>lxc.net.0.link</c>.</summary>
    public string? Bridge { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ConfiguredBridge { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? HostVeth { get; init; }
}

public sealed record InventoryBridge
{
    public required string Name { get; init; }
    public int Mtu { get; init; }
    public bool IsUp { get; init; }
    public ImmutableArray<InventoryBridgeMember> Members { get; init; } = [];
}

/// <summary>Kind of a bridge port, written in JSON as "container", "tunnel", "physical" or "other".</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<InventoryMemberKind>))]
public enum InventoryMemberKind
{
    Container,
    Tunnel,
    Physical,
    Other,
}

public sealed record InventoryBridgeMember
{
    public required string Name { get; init; }
    public required InventoryMemberKind Kind { get; init; }
    /// <summary>The link kind ("veth", "vxlan", "gretap", "l2tp", "" for a NIC).</summary>
    public string LinkKind { get; init; } = "";
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Container { get; init; }
    /// <summary>The host at the far end of a tunnel (the first one the underlay map knows).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public HostId? PeerHostId { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? PeerAddress { get; init; }
}

/// <summary>
/// A tunnel device: <see cref="Kind"/> "vxlan" (<see cref="Vni"/>, <see cref="Port"/>), "gretap"
/// (<see cref="InputKey"/>, <see cref="OutputKey"/>) or "l2tp" (tunnel and session ids, encapsulation, UDP ports).
/// <see cref="Remotes"/> are the far ends' underlay addresses (several for VXLAN head-end replication).
/// </summary>
public sealed record InventoryTunnel
{
    public required string Kind { get; init; }
    public required string Device { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Bridge { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Local { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Remote { get; init; }
    public ImmutableArray<string> Remotes { get; init; } = [];
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public HostId? PeerHostId { get; init; }
    public ImmutableArray<HostId> PeerHostIds { get; init; } = [];
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public uint? Vni { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Port { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public uint? InputKey { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public uint? OutputKey { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public uint? TunnelId { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public uint? PeerTunnelId { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public uint? SessionId { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public uint? PeerSessionId { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Encapsulation { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? SourcePort { get; init; }
}

/// <summary>A running dnsmasq and the interface it serves (null when set only in a conf file).</summary>
public sealed record InventoryDnsmasq(int Pid, string? Interface, string? PidFile);

/// <summary>Pure: builds the <see cref="HostInventory"/> view from an observed host and its classified bridges.</summary>
public static class HostInventoryView
{
    public static HostInventory Create(
        HostId hostId,
        AssembledInventory inventory,
        ImmutableArray<BridgeView> bridges,
        IReadOnlyDictionary<string, HostId> hostsByUnderlayAddress)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        ArgumentNullException.ThrowIfNull(hostsByUnderlayAddress);
        var host = inventory.Host;
        var linksByName = new Dictionary<string, ObservedLink>(StringComparer.Ordinal);
        foreach (var link in host.Links) linksByName.TryAdd(link.Name, link);

        return new HostInventory
        {
            HostId = hostId,
            Hostname = host.Hostname,
            KernelRelease = host.KernelRelease,
            IprouteVersion = host.IprouteVersion,
            Features = new InventoryFeatures(host.Features.Gretap, host.Features.L2tpv3, host.Features.Vxlan, host.Features.Lxc),
            Containers = [.. host.Containers.Select(c => new InventoryContainer
            {
                Name = c.Name,
                State = c.State,
                Ipv4 = c.Ipv4.IsDefault ? [] : c.Ipv4,
                Autostart = c.Autostart,
                Bridge = c.HostVeth is { } veth && linksByName.TryGetValue(veth, out var link) && link.Master is { } master
                    ? master
                    : c.ConfiguredLink,
                ConfiguredBridge = c.ConfiguredLink,
                HostVeth = c.HostVeth,
            })],
            Bridges = [.. bridges.Select(b => new InventoryBridge
            {
                Name = b.Name,
                Mtu = b.Mtu,
                IsUp = b.IsUp,
                Members = [.. b.Members.Select(m => new InventoryBridgeMember
                {
                    Name = m.Device,
                    Kind = m.Kind switch
                    {
                        BridgeMemberKind.Container => InventoryMemberKind.Container,
                        BridgeMemberKind.Tunnel => InventoryMemberKind.Tunnel,
                        BridgeMemberKind.Physical => InventoryMemberKind.Physical,
                        _ => InventoryMemberKind.Other,
                    },
                    LinkKind = m.LinkKind,
                    Container = m.Container,
                    PeerHostId = m.PeerHosts.IsDefaultOrEmpty ? (HostId?)null : m.PeerHosts[0],
                    PeerAddress = m.PeerAddress,
                })],
            })],
            Tunnels = Tunnels(host, hostsByUnderlayAddress),
            Dnsmasq = [.. host.Dnsmasq.Select(d => new InventoryDnsmasq(d.Pid, d.Interface, d.PidFile))],
            NatRules = host.NatRules,
            Ipv4Forwarding = host.Ipv4Forward switch { "1" => true, "0" => false, _ => null },
            UnderlayDevice = inventory.UnderlayDevice,
            UnderlayMtu = inventory.UnderlayMtu,
            LxcPath = inventory.LxcPath,
            Problems = [.. inventory.Problems.Select(p => p.ToString())],
        };
    }

    private static ImmutableArray<InventoryTunnel> Tunnels(ObservedHost host, IReadOnlyDictionary<string, HostId> hostsByAddress)
    {
        var tunnels = ImmutableArray.CreateBuilder<InventoryTunnel>();
        foreach (var link in host.Links)
        {
            switch (link.Kind)
            {
                case "vxlan" when link.Vxlan is { } vxlan:
                    {
                        var remotes = new List<string>();
                        if (vxlan.Remote is { } remote && !IsMulticast(remote)) remotes.Add(remote);
                        foreach (var destination in BridgeFdbParser.FloodDestinations(host.Fdb, link.Name))
                            if (!remotes.Contains(destination)) remotes.Add(destination);
                        tunnels.Add(WithPeers(new InventoryTunnel
                        {
                            Kind = "vxlan",
                            Device = link.Name,
                            Bridge = link.Master,
                            Local = vxlan.Local,
                            Vni = vxlan.Vni,
                            Port = vxlan.DstPort == 0 ? null : vxlan.DstPort,
                        }, remotes, hostsByAddress));
                        break;
                    }
                case "gretap" or "ip6gretap":
                    tunnels.Add(WithPeers(new InventoryTunnel
                    {
                        Kind = link.Kind,
                        Device = link.Name,
                        Bridge = link.Master,
                        Local = link.Gretap?.Local,
                        InputKey = link.Gretap?.IKey,
                        OutputKey = link.Gretap?.OKey,
                    }, link.Gretap?.Remote is { } r ? [r] : [], hostsByAddress));
                    break;
                case "l2tp":
                    {
                        var session = host.L2tpSessions.FirstOrDefault(s => s.InterfaceName == link.Name);
                        var tunnel = session is null ? null : host.L2tpTunnels.FirstOrDefault(t => t.TunnelId == session.TunnelId);
                        tunnels.Add(WithPeers(new InventoryTunnel
                        {
                            Kind = "l2tp",
                            Device = link.Name,
                            Bridge = link.Master,
                            Local = tunnel?.Local,
                            TunnelId = tunnel?.TunnelId,
                            PeerTunnelId = tunnel?.PeerTunnelId,
                            SessionId = session?.SessionId,
                            PeerSessionId = session?.PeerSessionId,
                            Encapsulation = tunnel?.Encap,
                            SourcePort = tunnel?.UdpSourcePort,
                            Port = tunnel?.UdpDestinationPort,
                        }, tunnel is null ? [] : [tunnel.Remote], hostsByAddress));
                        break;
                    }
            }
        }
        return tunnels.ToImmutable();
    }

    private static InventoryTunnel WithPeers(InventoryTunnel tunnel, IReadOnlyList<string> remotes, IReadOnlyDictionary<string, HostId> hostsByAddress)
    {
        ImmutableArray<HostId> peers = [.. remotes
            .Select(a => hostsByAddress.TryGetValue(a, out var id) ? id : (HostId?)null)
            .Where(id => id is not null).Select(id => id!.Value).Distinct()];
        return tunnel with
        {
            Remote = remotes.Count > 0 ? remotes[0] : null,
            Remotes = [.. remotes],
            PeerHostId = peers.IsEmpty ? (HostId?)null : peers[0],
            PeerHostIds = peers,
        };
    }

    private static bool IsMulticast(string address) =>
        IPAddress.TryParse(address, out var ip)
        && (ip.IsIPv6Multicast || (ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && ip.GetAddressBytes()[0] is >= 224 and <= 239));
}

/// <summary>Enum values as camelCase strings ("container"), as the REST API writes them.</summary>
public sealed class CamelCaseEnumConverter<TEnum>() : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.CamelCase, allowIntegerValues: false)
    where TEnum : struct, Enum;
