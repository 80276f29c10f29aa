using System.Net;
using Superbridge.Core.Observed;
using Superbridge.Core.Validation;

namespace Superbridge.Core.Planning;

/// <summary>One observed host, indexed once so each step's lookup is constant time (a 200-host VXLAN segment has 40,000 fdb steps).</summary>
internal sealed class ObservedIndex
{
    public ObservedHost Host { get; }
    public Dictionary<string, ObservedLink> Links { get; } = new(StringComparer.Ordinal);
    public Dictionary<uint, ObservedL2tpTunnel> Tunnels { get; } = [];
    public Dictionary<string, ObservedL2tpSession> Sessions { get; } = new(StringComparer.Ordinal);
    public HashSet<(string Device, string Destination)> FloodEntries { get; } = [];
    public HashSet<string> NatRules { get; } = new(StringComparer.Ordinal);
    /// <summary>Filter rules with protocol names as numbers, the way Superbridge writes them.</summary>
    public HashSet<string> FilterRules { get; } = new(StringComparer.Ordinal);

    public ObservedIndex(ObservedHost host)
    {
        Host = host;
        foreach (var link in host.Links) Links.TryAdd(link.Name, link);
        foreach (var tunnel in host.L2tpTunnels) Tunnels.TryAdd(tunnel.TunnelId, tunnel);
        foreach (var session in host.L2tpSessions) Sessions.TryAdd(session.InterfaceName, session);
        foreach (var entry in host.Fdb)
            if (entry.Mac == "00:00:00:00:00:00" && entry.Destination is { } dst)
                FloodEntries.Add((entry.Device, Canonical(dst)));
        foreach (var rule in host.NatRules) NatRules.Add(string.Join(' ', rule.Split(' ', StringSplitOptions.RemoveEmptyEntries)));
        foreach (var rule in host.FilterRules) FilterRules.Add(ProtocolsAsNumbers(rule.Split(' ', StringSplitOptions.RemoveEmptyEntries)));
    }

    private static string ProtocolsAsNumbers(string[] words)
    {
        for (var i = 1; i < words.Length; i++)
            if (words[i - 1] == "-p" && Commands.EspGuardCommands.ProtocolNumbers.TryGetValue(words[i], out var number)) words[i] = number;
        return string.Join(' ', words);
    }

    public ObservedLink? Link(string name) => Links.GetValueOrDefault(name);

    /// <summary>Addresses compared by value: observed IPv6 may be written differently from ours.</summary>
    public static string Canonical(string address) =>
        IpAddressRules.TryParse(address, out var ip) ? ip.ToString() : address;

    public static bool SameAddress(string? observed, string expected) =>
        observed is not null && IPAddress.TryParse(observed, out var a) && IPAddress.TryParse(expected, out var b) && a.Equals(b);
}
