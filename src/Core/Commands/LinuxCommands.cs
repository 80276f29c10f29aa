using System.Globalization;

namespace Superbridge.Core.Commands;

/// <summary>
/// Exact argv for current iproute2, bridge, iptables, sysctl, modprobe. Every value placed here has been
/// validated; device arguments go after the <c>dev</c> keyword so a name can never be read as a keyword.
/// </summary>
public static class LinuxCommands
{
    public const string AllZerosMac = "00:00:00:00:00:00";
    public const int VxlanPort = 4789; // IANA; written explicitly because Linux defaults to 8472

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static Command Modprobe(string module) => Command.Own("modprobe", module);
    public static Command ModuleLoaded(string module) => Command.Own("test", "-d", $"/sys/module/{module}");

    // Checks read /sys/class/net with shell builtins where they can: a host program runs `test` without a process,
    // and a process is most of what a check costs (a 100-host segment runs thousands of checks).
    public static Command LinkExists(string device) => Command.Own("test", "-e", $"/sys/class/net/{device}");
    public static Command LinkDelete(string device) => Command.Own("ip", "link", "del", "dev", device);

    public static Command BridgeAdd(string bridge) => Command.Own("ip", "link", "add", bridge, "type", "bridge");

    public static Command SetMtu(string device, int mtu) => Command.Own("ip", "link", "set", "dev", device, "mtu", N(mtu));
    public static Command MtuIs(string device, int mtu) => Command.Own("grep", "-qx", N(mtu), $"/sys/class/net/{device}/mtu");

    public static Command SetUp(string device) => Command.Own("ip", "link", "set", "dev", device, "up");
    public static Command SetDown(string device) => Command.Own("ip", "link", "set", "dev", device, "down");
    /// <summary>Admin state (IFF_UP, bit 0 of the flags), not carrier: a bridge without ports is up but has no carrier.</summary>
    public static Command IsUp(string device) =>
        Command.Own("sh", "-c", "read f < \"/sys/class/net/$1/flags\" && [ $((f & 1)) -eq 1 ]", "sh", device);

    public static Command SetMaster(string device, string bridge) => Command.Own("ip", "link", "set", "dev", device, "master", bridge);
    public static Command SetNoMaster(string device) => Command.Own("ip", "link", "set", "dev", device, "nomaster");
    public static Command IsPortOf(string device, string bridge) => Command.Own("test", "-e", $"/sys/class/net/{bridge}/brif/{device}");

    public static Command SetStp(string bridge, bool on) =>
        Command.Own("ip", "link", "set", "dev", bridge, "type", "bridge", "stp_state", on ? "1" : "0");
    public static Command StpIsOn(string bridge) => Command.Own("grep", "-qx", "1", $"/sys/class/net/{bridge}/bridge/stp_state");

    /// <param name="type">gretap for IPv4 underlays, ip6gretap for IPv6.</param>
    public static Command GretapAdd(string device, string type, string local, string remote, uint key) =>
        Command.Own("ip", "link", "add", device, "type", type, "local", local, "remote", remote, "ttl", "255", "key", N(key));

    public static Command L2tpTunnelAdd(uint tunnelId, uint peerTunnelId, string local, string remote, int? sourcePort, int? destinationPort) =>
        sourcePort is { } sport && destinationPort is { } dport
            ? Command.Own("ip", "l2tp", "add", "tunnel", "tunnel_id", N(tunnelId), "peer_tunnel_id", N(peerTunnelId),
                "encap", "udp", "local", local, "remote", remote, "udp_sport", N(sport), "udp_dport", N(dport))
            : Command.Own("ip", "l2tp", "add", "tunnel", "tunnel_id", N(tunnelId), "peer_tunnel_id", N(peerTunnelId),
                "encap", "ip", "local", local, "remote", remote);
    public static Command L2tpTunnelDelete(uint tunnelId) => Command.Own("ip", "l2tp", "del", "tunnel", "tunnel_id", N(tunnelId));
    /// <summary><c>ip l2tp show tunnel</c> exits 0 even when nothing matches, so the check looks for output.</summary>
    public static Command L2tpTunnelExists(uint tunnelId) =>
        Command.Own("sh", "-c", "ip l2tp show tunnel tunnel_id \"$1\" | grep -q .", "sh", N(tunnelId));

    public static Command L2tpSessionAdd(string device, uint tunnelId, uint sessionId, uint peerSessionId, string? cookie, string? peerCookie)
    {
        List<string> argv = ["ip", "l2tp", "add", "session", "name", device, "tunnel_id", N(tunnelId),
            "session_id", N(sessionId), "peer_session_id", N(peerSessionId)];
        if (cookie is not null) argv.AddRange(["cookie", cookie]);
        if (peerCookie is not null) argv.AddRange(["peer_cookie", peerCookie]);
        return new Command([.. argv]);
    }
    public static Command L2tpSessionDelete(uint tunnelId, uint sessionId) =>
        Command.Own("ip", "l2tp", "del", "session", "tunnel_id", N(tunnelId), "session_id", N(sessionId));

    public static Command VxlanAdd(string device, uint vni, string local, string? underlayDevice) =>
        underlayDevice is null
            ? Command.Own("ip", "link", "add", device, "type", "vxlan", "id", N(vni), "local", local, "dstport", N(VxlanPort))
            : Command.Own("ip", "link", "add", device, "type", "vxlan", "id", N(vni), "local", local, "dstport", N(VxlanPort), "dev", underlayDevice);

    /// <summary>Head-end replication: broadcast/unknown frames are copied to every peer listed with the all-zeros MAC.</summary>
    public static Command FdbAppend(string device, string peer) => Command.Own("bridge", "fdb", "append", AllZerosMac, "dev", device, "dst", peer);
    public static Command FdbDelete(string device, string peer) => Command.Own("bridge", "fdb", "del", AllZerosMac, "dev", device, "dst", peer);
    public static Command FdbExists(string device, string peer) =>
        Command.Own("sh", "-c", "bridge fdb show dev \"$1\" | grep -qF \"" + AllZerosMac + " dst $2 \"", "sh", device, peer);

    // Many flood entries of one device at once: one `bridge fdb show` and one `bridge -batch -` instead of a
    // check and a command per entry (a 100-host mesh has 99 per host). Each writes only what is not so yet,
    // so it can be repeated; the peers are positional arguments, never spliced into the script.
    private const string FloodScriptHead = "d=$1; shift; have=$(bridge fdb show dev \"$d\") || exit; ";
    private const string FloodPresent = "*\"" + AllZerosMac + " dst $p \"*)";

    /// <summary>Appends the all-zeros entries to the peers not listed yet.</summary>
    public static Command FloodAppend(string device, IEnumerable<string> peers) => Command.Own(["sh", "-c",
        FloodScriptHead + "for p; do case \"$have\" in " + FloodPresent + " ;; *) echo \"fdb append " + AllZerosMac +
        " dev $d dst $p\";; esac; done | bridge -batch -", "sh", device, .. peers]);

    /// <summary>Deletes the all-zeros entries to the peers that are listed.</summary>
    public static Command FloodDelete(string device, IEnumerable<string> peers) => Command.Own(["sh", "-c",
        FloodScriptHead + "for p; do case \"$have\" in " + FloodPresent + " echo \"fdb del " + AllZerosMac +
        " dev $d dst $p\";; esac; done | bridge -batch -", "sh", device, .. peers]);

    /// <summary>Exit 0 when every peer has its entry.</summary>
    public static Command FloodComplete(string device, IEnumerable<string> peers) => Command.Own(["sh", "-c",
        FloodScriptHead + "for p; do case \"$have\" in " + FloodPresent + " ;; *) exit 1;; esac; done", "sh", device, .. peers]);

    /// <summary>Exit 0 when no peer has its entry (a missing device has none).</summary>
    public static Command FloodGone(string device, IEnumerable<string> peers) => Command.Own(["sh", "-c",
        "d=$1; shift; have=$(bridge fdb show dev \"$d\" 2>/dev/null) || exit 0; for p; do case \"$have\" in " + FloodPresent +
        " exit 1;; esac; done", "sh", device, .. peers]);

    public static Command AddressAdd(string cidr, string device) => Command.Own("ip", "addr", "add", cidr, "dev", device);
    public static Command AddressDelete(string cidr, string device) => Command.Own("ip", "addr", "del", cidr, "dev", device);
    public static Command AddressExists(string cidr, string device) =>
        Command.Own("sh", "-c", "ip -o addr show dev \"$1\" | grep -qF \" $2 \"", "sh", device, cidr);

    public static Command SetIpv4Forward(string value) => Command.Own("sysctl", "-w", $"net.ipv4.ip_forward={value}");
    public static Command Ipv4ForwardIs(string value) => Command.Own("grep", "-qx", value, "/proc/sys/net/ipv4/ip_forward");

    // NAT lives in a chain of the segment's own (one per bridge, which is unique on a host), entered from POSTROUTING by
    // one jump for the segment's subnet: a replay finds its rules by -C and never duplicates them, and no rule of anyone
    // else's is matched, moved or deleted.

    /// <summary>The segment's nat chain: SB- and the bridge name (at most 18 of iptables' 28 characters).</summary>
    public static string NatChain(string bridge) => "SB-" + bridge;

    public static Command NatChainAdd(string bridge) => Command.Own("iptables", "-t", "nat", "-N", NatChain(bridge));
    public static Command NatChainDelete(string bridge) => Command.Own("iptables", "-t", "nat", "-X", NatChain(bridge));
    /// <summary><c>-S CHAIN</c> exits 0 only when the chain exists.</summary>
    public static Command NatChainExists(string bridge) => Command.Own("iptables", "-t", "nat", "-S", NatChain(bridge));

    /// <param name="action">-A append, -D delete, -C check.</param>
    public static Command NatJump(string action, string bridge, string network) =>
        Command.Own("iptables", "-t", "nat", action, "POSTROUTING", "-s", network, "-j", NatChain(bridge));

    /// <param name="action">-A append, -D delete, -C check.</param>
    public static Command Masquerade(string action, string bridge, string network, string? outInterface)
    {
        List<string> argv = ["iptables", "-t", "nat", action, NatChain(bridge), "-s", network, "!", "-d", network];
        if (outInterface is not null) argv.AddRange(["-o", outInterface]);
        argv.AddRange(["-j", "MASQUERADE"]);
        return new Command([.. argv]);
    }

    /// <summary>The lines <c>iptables -t nat -S</c> prints for the segment's chain, jump and rule, for comparing with observed rules.</summary>
    public static string NatChainText(string bridge) => "-N " + NatChain(bridge);
    public static string NatJumpText(string bridge, string network) => $"-A POSTROUTING -s {network} -j {NatChain(bridge)}";
    public static string MasqueradeRuleText(string bridge, string network, string? outInterface) =>
        outInterface is null
            ? $"-A {NatChain(bridge)} -s {network} ! -d {network} -j MASQUERADE"
            : $"-A {NatChain(bridge)} -s {network} ! -d {network} -o {outInterface} -j MASQUERADE";
}
