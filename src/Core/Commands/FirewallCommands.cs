using System.Collections.Immutable;
using System.Globalization;

namespace Superbridge.Core.Commands;

/// <summary>
/// One ACCEPT rule of a segment's firewall chain: <see cref="Id"/> names it within the chain (step ids),
/// <see cref="Why"/> says what it lets through, <see cref="Match"/> is written as <c>iptables -S</c> prints it back.
/// </summary>
public sealed record FirewallOpening(string Id, string Why, ImmutableArray<string> Match);

/// <summary>
/// What a segment opens on a host whose filter table drops what it does not accept (Docker's FORWARD policy, ufw's
/// INPUT policy, a trailing REJECT): ACCEPT rules in chains of the segment's own, one per hook and bridge, jumped to
/// from INPUT and FORWARD. Nothing else of the host's rules is touched; teardown deletes the jumps, rules and chains.
/// </summary>
public static class FirewallCommands
{
    /// <summary>SB-FW-IN- or SB-FW-FWD- and the bridge: at most 25 of iptables' 28 characters.</summary>
    public static string Chain(bool input, string bridge) => (input ? "SB-FW-IN-" : "SB-FW-FWD-") + bridge;

    public static string Hook(bool input) => input ? "INPUT" : "FORWARD";

    public static Command ChainAdd(bool input, string bridge) => Command.Own("iptables", "-t", "filter", "-N", Chain(input, bridge));
    public static Command ChainDelete(bool input, string bridge) => Command.Own("iptables", "-t", "filter", "-X", Chain(input, bridge));
    /// <summary><c>-S CHAIN</c> exits 0 only when the chain exists.</summary>
    public static Command ChainExists(bool input, string bridge) => Command.Own("iptables", "-t", "filter", "-S", Chain(input, bridge));

    /// <param name="action">-A append, -D delete, -C check.</param>
    public static Command Accept(string action, bool input, string bridge, FirewallOpening opening) =>
        new(["iptables", "-t", "filter", action, Chain(input, bridge), .. opening.Match, "-j", "ACCEPT"]);

    /// <param name="action">-D delete, -C check (inserting is <see cref="JumpInsert"/>).</param>
    public static Command Jump(string action, bool input, string bridge) =>
        Command.Own("iptables", "-t", "filter", action, Hook(input), "-j", Chain(input, bridge));

    /// <summary>
    /// Counts INPUT's rules down to the last jump to a plaintext guard (<see cref="EspGuardCommands"/>, SB-ESP-IN-*),
    /// and inserts just below it: an ACCEPT of ours evaluated first would let clear tunnel packets past the guard.
    /// Guards inserted later go to the top, above it, by themselves. No guard: position 1, before the host's own rules
    /// (a trailing REJECT would otherwise win). The chain name is passed positionally, never spliced into the script.
    /// </summary>
    public const string InsertBelowGuards =
        "p=$(iptables -t filter -S INPUT | { p=1 i=0; while read -r a c rest; do [ \"$a\" = -A ] || continue; i=$((i+1)); "
        + "case $rest in \"-j " + EspGuardPrefix + "\"*) p=$((i+1)) ;; esac; done; echo \"$p\"; }) "
        + "&& exec iptables -t filter -I INPUT \"$p\" -j \"$1\"";

    private const string EspGuardPrefix = "SB-ESP-IN-";

    /// <summary>INPUT: below the plaintext guards (<see cref="InsertBelowGuards"/>); FORWARD: first.</summary>
    public static Command JumpInsert(bool input, string bridge) => input
        ? Command.Own("sh", "-c", InsertBelowGuards, "sh", Chain(input, bridge))
        : Command.Own("iptables", "-t", "filter", "-I", "FORWARD", "1", "-j", Chain(input, bridge));

    /// <summary>The lines <c>iptables -S</c> prints for the chain, jump and rule, for comparing with observed rules.</summary>
    public static string ChainText(bool input, string bridge) => "-N " + Chain(input, bridge);
    public static string JumpText(bool input, string bridge) => $"-A {Hook(input)} -j {Chain(input, bridge)}";
    public static string AcceptText(bool input, string bridge, FirewallOpening opening) =>
        $"-A {Chain(input, bridge)} {string.Join(' ', opening.Match)} -j ACCEPT";

    /// <summary>
    /// The tunnel's packets from one peer: <paramref name="protocol"/> by number or "udp" with its destination port.
    /// On an encrypted segment only what came through IPsec (<c>--pol ipsec</c>), so wherever this rule sits it can
    /// never accept what the plaintext guard is there to drop.
    /// </summary>
    public static FirewallOpening Tunnel(string transport, string peer, string protocol, int? port, bool throughIpsec)
    {
        var match = ImmutableArray.CreateBuilder<string>();
        match.AddRange("-s", peer + "/32", "-p", protocol);
        if (port is { } p) match.AddRange("-m", "udp", "--dport", N(p));
        if (throughIpsec) match.AddRange("-m", "policy", "--dir", "in", "--pol", "ipsec");
        return new($"{transport}:{peer}", $"{transport} from {peer}{(port is { } q ? $" to udp {N(q)}" : "")}{(throughIpsec ? " through IPsec" : "")}",
            match.ToImmutable());
    }

    /// <summary>IPsec itself from one peer: ESP (protocol 50), IKE (udp 500) and NAT traversal (udp 4500).</summary>
    public static IEnumerable<FirewallOpening> Ipsec(string peer)
    {
        yield return new($"esp:{peer}", $"ESP from {peer}", ["-s", peer + "/32", "-p", "50"]);
        yield return new($"ike:{peer}", $"IKE (udp 500) from {peer}", ["-s", peer + "/32", "-p", "udp", "-m", "udp", "--dport", "500"]);
        yield return new($"nat-t:{peer}", $"IKE NAT traversal (udp 4500) from {peer}", ["-s", peer + "/32", "-p", "udp", "-m", "udp", "--dport", "4500"]);
    }

    /// <summary>A service of the router's dnsmasq, arriving on the bridge.</summary>
    public static FirewallOpening Service(string id, string why, string bridge, string protocol, int port) =>
        new(id, $"{why} ({protocol} {N(port)}) arriving on {bridge}", ["-i", bridge, "-p", protocol, "-m", protocol, "--dport", N(port)]);

    /// <summary>The segment's subnet routed out of the bridge, and what comes back for it.</summary>
    public static IEnumerable<FirewallOpening> Routed(string bridge, string network)
    {
        yield return new("routed-out", $"{network} routed out of {bridge}", ["-s", network, "-i", bridge]);
        yield return new("routed-back", $"replies routed back to {network} on {bridge}",
            ["-d", network, "-o", bridge, "-m", "conntrack", "--ctstate", "RELATED,ESTABLISHED"]);
    }

    /// <summary>Frames between the bridge's ports, which traverse FORWARD where br_netfilter passes bridged traffic to iptables.</summary>
    public static FirewallOpening Bridged(string bridge) =>
        new("bridged", $"frames bridged between ports of {bridge}", ["-i", bridge, "-o", bridge]);

    private static string N(int value) => value.ToString(CultureInfo.InvariantCulture);
}
