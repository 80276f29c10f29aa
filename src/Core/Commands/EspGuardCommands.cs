using System.Collections.Immutable;
using System.Globalization;

namespace Superbridge.Core.Commands;

/// <summary>
/// The filter rules that keep an encrypted segment from ever sending or accepting its tunnel packets in clear, in
/// chains of the segment's own (one per direction and bridge): each drops the tunnel's protocol to or from a peer when
/// the xfrm policy match says the packet did not go through IPsec (<c>-m policy --pol none</c>): exactly what each child
/// SA's selectors protect, both ways. While charon runs, its trap policies send everything through ESP and these rules
/// match nothing; when it stops, its policies go and the tunnel goes quiet instead of clear. Two chains because the policy match allows <c>--dir in</c> only under INPUT and
/// <c>--dir out</c> only under OUTPUT.
/// </summary>
public static class EspGuardCommands
{
    /// <summary>The protocols iptables may print by their /etc/protocols names, and their numbers.</summary>
    public static IReadOnlyDictionary<string, string> ProtocolNumbers { get; } =
        new Dictionary<string, string>(StringComparer.Ordinal) { ["gre"] = "47", ["l2tp"] = "115", ["esp"] = "50" };

    /// <summary>SB-ESP-IN- or SB-ESP-OUT- and the bridge: at most 26 of iptables' 28 characters.</summary>

    public static string Chain(bool inbound, string bridge) => (inbound ? "SB-ESP-IN-" : "SB-ESP-OUT-") + bridge;

    public static Command ChainAdd(bool inbound, string bridge) => Command.Own("iptables", "-t", "filter", "-N", Chain(inbound, bridge));
    public static Command ChainDelete(bool inbound, string bridge) => Command.Own("iptables", "-t", "filter", "-X", Chain(inbound, bridge));
    /// <summary><c>-S CHAIN</c> exits 0 only when the chain exists.</summary>
    public static Command ChainExists(bool inbound, string bridge) => Command.Own("iptables", "-t", "filter", "-S", Chain(inbound, bridge));

    /// <param name="action">-I insert (first, so no accepting rule of the host's own comes before it), -D delete, -C check.</param>
    public static Command Jump(string action, bool inbound, string bridge) =>
        Command.Own("iptables", "-t", "filter", action, inbound ? "INPUT" : "OUTPUT", "-j", Chain(inbound, bridge));

    /// <param name="action">-A append, -D delete, -C check.</param>
    public static Command Drop(string action, bool inbound, string bridge, string peer, IpsecSelector child) =>
        new(["iptables", "-t", "filter", action, Chain(inbound, bridge), .. RuleArguments(inbound, peer, child)]);

    /// <summary>The lines <c>iptables -S</c> prints for the chain, jump and rule, for comparing with observed rules.</summary>
    public static string ChainText(bool inbound, string bridge) => "-N " + Chain(inbound, bridge);
    public static string JumpText(bool inbound, string bridge) => $"-A {(inbound ? "INPUT" : "OUTPUT")} -j {Chain(inbound, bridge)}";
    public static string DropText(bool inbound, string bridge, string peer, IpsecSelector child) =>
        $"-A {Chain(inbound, bridge)} {string.Join(' ', RuleArguments(inbound, peer, child))}";

    /// <summary>
    /// Written as iptables prints them back (host mask, <c>-m udp</c> before the ports), so the observed line is the same
    /// text. Protocols go by number, since /etc/protocols may not name them (iptables prints the name when it does:
    /// <see cref="ProtocolNumbers"/>). IPv4 only: the validator refuses IPsec on IPv6 underlays.
    /// </summary>
    private static ImmutableArray<string> RuleArguments(bool inbound, string peer, IpsecSelector child)
    {
        var argv = ImmutableArray.CreateBuilder<string>();
        argv.AddRange(inbound ? "-s" : "-d", peer + "/32", "-p", ProtocolNumbers.GetValueOrDefault(child.Protocol, child.Protocol));
        if (child.Protocol == "udp")
        {
            // What we send leaves from the child's local port to its remote one; what arrives, the other way round.
            var (source, destination) = inbound ? (child.RemotePort, child.LocalPort) : (child.LocalPort, child.RemotePort);
            argv.AddRange("-m", "udp");
            if (source is { } s) argv.AddRange("--sport", s.ToString(CultureInfo.InvariantCulture));
            if (destination is { } d) argv.AddRange("--dport", d.ToString(CultureInfo.InvariantCulture));
        }
        argv.AddRange("-m", "policy", "--dir", inbound ? "in" : "out", "--pol", "none", "-j", "DROP");
        return argv.ToImmutable();
    }
}
