using Superbridge.Core.Allocation;
using Superbridge.Core.Commands;

namespace Superbridge.Core.Planning.Steps;

/// <summary>
/// One end of an L2TPv3 link: tunnel, then a session whose device is named with <c>name</c> (not the
/// kernel's l2tpethN, which differs per host and order), then the device joins the bridge.
/// <paramref name="end"/> is oriented so A is this host: its ids are local, B's are the peer's.
/// </summary>
internal static class L2tpSteps
{
    public static IEnumerable<StepDraft> For(LinkAllocation end, string local, string remote, bool udp, string bridge, int mtu)
    {
        var device = end.DeviceA;
        var tunnelId = end.TunnelIdA!.Value;
        var peerTunnelId = end.TunnelIdB!.Value;
        var sessionId = end.SessionIdA!.Value;
        var peerSessionId = end.SessionIdB!.Value;
        int? sport = udp ? end.PortA : null;
        int? dport = udp ? end.PortB : null;

        yield return new StepDraft(
            new PlanStep($"l2tp-tunnel:{tunnelId}", $"Create L2TPv3 tunnel {tunnelId} to {remote} (peer tunnel {peerTunnelId})",
                LinuxCommands.L2tpTunnelAdd(tunnelId, peerTunnelId, local, remote, sport, dport),
                LinuxCommands.L2tpTunnelDelete(tunnelId), LinuxCommands.L2tpTunnelExists(tunnelId)),
            device,
            o => o.Tunnels.TryGetValue(tunnelId, out var t) ? new Observation(true, Join(TunnelDifferences(t, peerTunnelId, local, remote, udp, sport, dport))) : Observation.Absent,
            Creates: true);
        yield return new StepDraft(
            new PlanStep($"l2tp-session:{device}", $"Create L2TPv3 session {sessionId} as {device} (peer session {peerSessionId})",
                LinuxCommands.L2tpSessionAdd(device, tunnelId, sessionId, peerSessionId, end.CookieA, end.CookieB),
                LinuxCommands.L2tpSessionDelete(tunnelId, sessionId), LinuxCommands.LinkExists(device)),
            device,
            o => o.Sessions.TryGetValue(device, out var s) ? new Observation(true, Join(SessionDifferences(s, tunnelId, sessionId, peerSessionId)))
                : o.Link(device) is not null ? new Observation(true, "exists but is not an L2TP session")
                : Observation.Absent,
            Creates: true);
        yield return DeviceSteps.Mtu(device, mtu);
        yield return DeviceSteps.Master(device, bridge);
        yield return DeviceSteps.Up(device);
    }

    private static string? Join(IEnumerable<string> differences)
    {
        var list = differences.ToList();
        return list.Count == 0 ? null : string.Join("; ", list);
    }

    private static IEnumerable<string> TunnelDifferences(Observed.ObservedL2tpTunnel t, uint peer, string local, string remote, bool udp, int? sport, int? dport)
    {
        if (t.PeerTunnelId != peer) yield return $"peer tunnel {t.PeerTunnelId}, expected {peer}";
        var encap = udp ? "udp" : "ip";
        if (!string.Equals(t.Encap, encap, StringComparison.OrdinalIgnoreCase)) yield return $"encap {t.Encap}, expected {encap}";
        if (!ObservedIndex.SameAddress(t.Local, local)) yield return $"local {t.Local}, expected {local}";
        if (!ObservedIndex.SameAddress(t.Remote, remote)) yield return $"remote {t.Remote}, expected {remote}";
        if (udp && t.UdpSourcePort != sport) yield return $"udp_sport {t.UdpSourcePort}, expected {sport}";
        if (udp && t.UdpDestinationPort != dport) yield return $"udp_dport {t.UdpDestinationPort}, expected {dport}";
    }

    private static IEnumerable<string> SessionDifferences(Observed.ObservedL2tpSession s, uint tunnelId, uint sessionId, uint peerSessionId)
    {
        if (s.TunnelId != tunnelId) yield return $"in tunnel {s.TunnelId}, expected {tunnelId}";
        if (s.SessionId != sessionId) yield return $"session {s.SessionId}, expected {sessionId}";
        if (s.PeerSessionId != peerSessionId) yield return $"peer session {s.PeerSessionId}, expected {peerSessionId}";
    }
}
