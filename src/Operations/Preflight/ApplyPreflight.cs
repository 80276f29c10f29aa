using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using Superbridge.Core.Allocation;
using Superbridge.Core.Model;
using Superbridge.Core.Observed;

namespace Superbridge.Operations;

/// <summary>
/// Checks that need the hosts' fresh inventory, before anything runs. Pure. A problem found here means the
/// operation is refused: no command that changes anything runs on any host.
/// </summary>
public static class ApplyPreflight
{
    /// <summary>Kernel features the segment needs on each member host (bridge, its transport, LXC where containers are attached).</summary>
    public static ImmutableArray<PreflightProblem> CheckFeatures(
        Segment segment, IReadOnlyDictionary<HostId, HostInfo> hosts, IReadOnlyDictionary<HostId, ObservedHost> observed)
    {
        ArgumentNullException.ThrowIfNull(segment);
        var problems = ImmutableArray.CreateBuilder<PreflightProblem>();
        var spec = segment.Spec;
        foreach (var member in spec.Members.Distinct())
        {
            if (!observed.TryGetValue(member, out var host)) continue;
            var features = host.Features;
            var ipv6 = hosts.TryGetValue(member, out var info) && IPAddress.TryParse(info.Address, out var ip) && ip.AddressFamily == AddressFamily.InterNetworkV6;
            foreach (var module in Needed(spec.Transport, ipv6, features))
                problems.Add(new PreflightProblem(member, $"host {member} cannot {module.Capability}: kernel module {module.Module} is missing ({module.Fix})"));
            if (!spec.Attachments.IsDefaultOrEmpty && spec.Attachments.Any(a => a.Host == member) && !features.Lxc)
                problems.Add(new PreflightProblem(member, $"host {member} cannot attach containers: LXC is not installed (install lxc)"));
        }
        return problems.ToImmutable();
    }

    private static IEnumerable<KernelModule> Needed(Transport transport, bool ipv6, KernelFeatures features)
    {
        if (!features.Bridge) yield return KernelModule.Bridge;
        switch (transport)
        {
            case Transport.Gretap when !features.Gretap:
                yield return ipv6 ? KernelModule.Ip6Gretap : KernelModule.Gretap;
                break;
            case Transport.Vxlan when !features.Vxlan:
                yield return KernelModule.Vxlan;
                break;
            case Transport.L2tpv3Udp or Transport.L2tpv3Ip when !features.L2tpv3:
                yield return KernelModule.L2tpEth;
                break;
        }
        if (transport == Transport.L2tpv3Ip && !features.L2tpIp) yield return ipv6 ? KernelModule.L2tpIp6 : KernelModule.L2tpIp;
    }

    /// <summary>
    /// Names and ids the segment will create must be free or already the segment's own: a device of our name must be
    /// of our kind and settings, our VNI must not be used by another vxlan device, our L2TP tunnel ids and UDP ports
    /// must not belong to other tunnels. (The planner would otherwise take a foreign device for ours and skip it.)
    /// </summary>
    public static ImmutableArray<PreflightProblem> CheckNamesAndIds(Segment segment, IReadOnlyDictionary<HostId, ObservedHost> observed)
    {
        ArgumentNullException.ThrowIfNull(segment);
        var problems = ImmutableArray.CreateBuilder<PreflightProblem>();
        var spec = segment.Spec;
        var allocation = segment.Allocation;
        void Add(HostId host, string message) => problems.Add(new PreflightProblem(host, $"host {host}: {message}"));

        foreach (var member in spec.Members.Distinct())
        {
            if (!observed.TryGetValue(member, out var host)) continue;
            if (Link(host, spec.Bridge) is { } bridge && bridge.Kind != "bridge")
                Add(member, $"the name {spec.Bridge} is taken by a {KindName(bridge)}, not a bridge");
        }

        if (spec.Transport == Transport.Vxlan && allocation.Vni is { } vni)
        {
            foreach (var device in allocation.VxlanDevices)
            {
                if (!observed.TryGetValue(device.Host, out var host)) continue;
                if (Link(host, device.Device) is { } link && (link.Kind != "vxlan" || link.Vxlan is { } vx && vx.Vni != vni))
                    Add(device.Host, $"the name {device.Device} is taken by a {KindName(link)}{(link.Vxlan is { } v ? $" with VNI {v.Vni}" : "")}");
                foreach (var other in host.Links.Where(l => l.Vxlan is { } vx && vx.Vni == vni && l.Name != device.Device))
                    Add(device.Host, $"VNI {vni} is already used by vxlan device {other.Name}");
            }
        }

        foreach (var link in allocation.Links)
        {
            foreach (var end in new[] { link, link.Reversed() })
            {
                if (!observed.TryGetValue(end.A, out var host)) continue;
                CheckLinkEnd(spec.Transport, end, host, message => Add(end.A, message));
            }
        }
        return problems.ToImmutable();
    }

    private static void CheckLinkEnd(Transport transport, LinkAllocation end, ObservedHost host, Action<string> add)
    {
        var device = Link(host, end.DeviceA);
        if (transport == Transport.Gretap)
        {
            if (device is not null && (device.Kind is not ("gretap" or "ip6gretap") || device.Gretap is { } gre && (gre.IKey != end.GreKey || gre.OKey != end.GreKey)))
                add($"the name {end.DeviceA} is taken by a {KindName(device)}{(device.Gretap is { } g ? $" with key {g.IKey?.ToString() ?? "none"}" : "")}");
            return;
        }

        var session = host.L2tpSessions.FirstOrDefault(s => s.InterfaceName == end.DeviceA);
        if (device is not null && (session is null || session.TunnelId != end.TunnelIdA))
            add($"the name {end.DeviceA} is taken by a {KindName(device)} that is not this link's L2TP session");
        if (end.TunnelIdA is { } tunnelId && host.L2tpTunnels.FirstOrDefault(t => t.TunnelId == tunnelId) is { } tunnel
            && (tunnel.PeerTunnelId != end.TunnelIdB || transport == Transport.L2tpv3Udp && tunnel.UdpSourcePort != end.PortA))
            add($"L2TP tunnel id {tunnelId} is already used by a tunnel to {tunnel.Remote} (peer tunnel {tunnel.PeerTunnelId})");
        if (transport == Transport.L2tpv3Udp && end.PortA is { } port
            && host.L2tpTunnels.FirstOrDefault(t => t.UdpSourcePort == port && t.TunnelId != end.TunnelIdA) is { } user)
            add($"UDP port {port} is already used by L2TP tunnel {user.TunnelId}");
        if (end.SessionIdA is { } sessionId && host.L2tpSessions.FirstOrDefault(s => s.SessionId == sessionId && s.TunnelId == end.TunnelIdA && s.InterfaceName != end.DeviceA) is { } other)
            add($"L2TP session {sessionId} in tunnel {end.TunnelIdA} already exists as {other.InterfaceName}");
    }

    private static ObservedLink? Link(ObservedHost host, string name) => host.Links.FirstOrDefault(l => l.Name == name);

    private static string KindName(ObservedLink link) => link.Kind.Length == 0 ? "physical device" : $"{link.Kind} device";
}
