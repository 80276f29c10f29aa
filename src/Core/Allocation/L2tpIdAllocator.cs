namespace Superbridge.Core.Allocation;

/// <summary>
/// L2TPv3 tunnel and session ids and UDP ports, unique per host: the kernel keys L2TPv3 sessions by
/// session id per network namespace (encap ip has nothing else to demultiplex on), and each tunnel
/// binds its own UDP socket, so two tunnels on one host cannot share a local port.
/// </summary>
internal static class L2tpIdAllocator
{
    /// <summary>The IANA L2TP port; further tunnels take the next free ports up.</summary>
    public const int FirstPort = 1701;

    public static uint NextTunnelId(HostUsage host) => Take(host.TunnelIds, ref host.NextTunnelId);

    public static uint NextSessionId(HostUsage host) => Take(host.SessionIds, ref host.NextSessionId);

    public static int NextPort(HostUsage host)
    {
        while (host.Ports.Contains(host.NextPort))
        {
            if (host.NextPort == 65535) throw new InvalidOperationException("No free UDP port left on the host.");
            host.NextPort++;
        }
        host.Ports.Add(host.NextPort);
        return host.NextPort;
    }

    private static uint Take(HashSet<uint> used, ref uint next)
    {
        while (used.Contains(next)) next = checked(next + 1);
        used.Add(next);
        return next;
    }
}
