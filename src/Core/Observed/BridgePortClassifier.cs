using System.Collections.Immutable;
using System.Net;
using Superbridge.Core.Model;

namespace Superbridge.Core.Observed;

/// <summary>
/// Pure: turns an <see cref="ObservedHost"/> into one <see cref="BridgeView"/> per bridge, saying for every port
/// whether it is a container's veth, a tunnel to another host (and which), a NIC, or something else.
/// </summary>
public static class BridgePortClassifier
{
    /// <param name="host">Links (with <c>-d</c>), containers with <see cref="ObservedContainer.HostVeth"/> filled, FDB, L2TP state.</param>
    /// <param name="hostsByUnderlayAddress">Underlay address of every known host, to name the peer of each tunnel.</param>
    public static ImmutableArray<BridgeView> Classify(ObservedHost host, IReadOnlyDictionary<string, HostId> hostsByUnderlayAddress)
    {
        var containersByVeth = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var container in host.Containers)
            if (container.HostVeth is { Length: > 0 } veth) containersByVeth.TryAdd(veth, container.Name);
        var sessionsByInterface = new Dictionary<string, ObservedL2tpSession>(StringComparer.Ordinal);
        foreach (var session in host.L2tpSessions)
            if (session.InterfaceName.Length > 0) sessionsByInterface.TryAdd(session.InterfaceName, session);
        var tunnelsById = new Dictionary<uint, ObservedL2tpTunnel>();
        foreach (var tunnel in host.L2tpTunnels) tunnelsById.TryAdd(tunnel.TunnelId, tunnel);

        var views = ImmutableArray.CreateBuilder<BridgeView>();
        foreach (var bridge in host.Links.Where(l => l.Kind == "bridge"))
        {
            var members = host.Links
                .Where(l => l.Master == bridge.Name)
                .Select(l => Member(l, host, containersByVeth, sessionsByInterface, tunnelsById, hostsByUnderlayAddress))
                .ToImmutableArray();
            views.Add(new BridgeView
            {
                Name = bridge.Name,
                IsUp = bridge.IsUp,
                Mtu = bridge.Mtu,
                StpEnabled = bridge.StpEnabled,
                Members = members,
            });
        }
        return views.ToImmutable();
    }

    private static BridgeMember Member(
        ObservedLink link,
        ObservedHost host,
        Dictionary<string, string> containersByVeth,
        Dictionary<string, ObservedL2tpSession> sessionsByInterface,
        Dictionary<uint, ObservedL2tpTunnel> tunnelsById,
        IReadOnlyDictionary<string, HostId> hostsByAddress)
    {
        var member = new BridgeMember
        {
            Device = link.Name,
            Kind = BridgeMemberKind.Other,
            LinkKind = link.Kind,
            IsUp = link.IsUp,
            PortState = link.PortState,
        };
        if (containersByVeth.TryGetValue(link.Name, out var container))
            return member with { Kind = BridgeMemberKind.Container, Container = container };

        // A real l2tp_eth device has no info_kind; its session names it.
        var kind = link.Kind.Length == 0 && sessionsByInterface.ContainsKey(link.Name) ? L2tpSessionDevices.Kind : link.Kind;
        ImmutableArray<string>? peers = kind switch
        {
            "gretap" or "ip6gretap" => link.Gretap?.Remote is { } remote ? [remote] : [],
            "vxlan" => VxlanPeers(link, host.Fdb),
            "l2tp" => sessionsByInterface.TryGetValue(link.Name, out var session) && tunnelsById.TryGetValue(session.TunnelId, out var tunnel)
                ? [tunnel.Remote]
                : [],
            _ => null,
        };
        if (peers is { } addresses)
        {
            return member with
            {
                Kind = BridgeMemberKind.Tunnel,
                PeerAddresses = addresses,
                PeerHosts = [.. addresses.Select(a => hostsByAddress.TryGetValue(a, out var id) ? id : (HostId?)null)
                    .Where(id => id is not null).Select(id => id!.Value).Distinct()],
            };
        }
        return kind.Length == 0 ? member with { Kind = BridgeMemberKind.Physical } : member;
    }

    /// <summary>A unicast remote (a multicast group names no single peer) followed by the head-end replication destinations.</summary>
    private static ImmutableArray<string> VxlanPeers(ObservedLink link, ImmutableArray<ObservedFdbEntry> fdb)
    {
        var peers = new List<string>();
        if (link.Vxlan?.Remote is { } remote && !IsMulticast(remote)) peers.Add(remote);
        foreach (var destination in BridgeFdbParser.FloodDestinations(fdb, link.Name))
            if (!peers.Contains(destination)) peers.Add(destination);
        return [.. peers];
    }

    private static bool IsMulticast(string address) =>
        IPAddress.TryParse(address, out var ip)
        && (ip.IsIPv6Multicast || (ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && ip.GetAddressBytes()[0] is >= 224 and <= 239));
}
