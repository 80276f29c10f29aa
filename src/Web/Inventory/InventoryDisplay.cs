using System.Collections.Immutable;
using Superbridge.Core.Model;
using Superbridge.Core.Observed;
using Superbridge.Ssh.Inventory;

namespace Superbridge.Web.Inventory;

/// <summary>A bridge port as the host page lists it, with its own MTU from the observed links.</summary>
public sealed record BridgeMemberRow(
    string Name, InventoryMemberKind Kind, string LinkKind, string? Container, HostId? PeerHostId, string? PeerAddress, int? Mtu);

/// <summary>Pure: the host page's derived texts and rows from an inventory.</summary>
public static class InventoryDisplay
{
    public static ImmutableArray<BridgeMemberRow> Members(InventoryBridge bridge, ObservedHost? observed)
    {
        var mtus = observed?.Links.GroupBy(l => l.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Mtu, StringComparer.Ordinal)
            ?? new Dictionary<string, int>(StringComparer.Ordinal);
        return [.. bridge.Members.Select(m => new BridgeMemberRow(
            m.Name, m.Kind, m.LinkKind, m.Container, m.PeerHostId, m.PeerAddress,
            mtus.TryGetValue(m.Name, out var mtu) && mtu > 0 ? mtu : null))];
    }

    /// <summary>The tunnel's identifiers: "VNI 42 · port 4789", "key 7 in / 7 out", "tunnel 1→2 · session 3→4 · udp 5000→5001".</summary>
    public static string Identifiers(InventoryTunnel tunnel)
    {
        var parts = new List<string>();
        switch (tunnel.Kind)
        {
            case "vxlan":
                if (tunnel.Vni is { } vni) parts.Add($"VNI {vni}");
                if (tunnel.Port is { } port) parts.Add($"port {port}");
                break;
            case "gretap" or "ip6gretap":
                if (tunnel.InputKey is not null || tunnel.OutputKey is not null)
                    parts.Add(tunnel.InputKey == tunnel.OutputKey ? $"key {tunnel.InputKey}" : $"key {Show(tunnel.InputKey)} in / {Show(tunnel.OutputKey)} out");
                else parts.Add("no key");
                break;
            case "l2tp":
                if (tunnel.TunnelId is not null) parts.Add($"tunnel {tunnel.TunnelId}→{Show(tunnel.PeerTunnelId)}");
                if (tunnel.SessionId is not null) parts.Add($"session {tunnel.SessionId}→{Show(tunnel.PeerSessionId)}");
                if (tunnel.Encapsulation is { } encap)
                    parts.Add(encap == "udp" && (tunnel.SourcePort is not null || tunnel.Port is not null)
                        ? $"udp {Show(tunnel.SourcePort)}→{Show(tunnel.Port)}"
                        : encap);
                break;
        }
        return parts.Count == 0 ? "–" : string.Join(" · ", parts);
    }

    /// <summary>"eth0 · MTU 1500", "MTU 1500", or null when the underlay device was not found.</summary>
    public static string? Underlay(HostInventory inventory) => (inventory.UnderlayDevice, inventory.UnderlayMtu) switch
    {
        ({ } device, { } mtu) => $"{device} · MTU {mtu}",
        ({ } device, null) => device,
        (null, { } mtu) => $"MTU {mtu}",
        _ => null,
    };

    private static string Show<T>(T? value) where T : struct => value?.ToString() ?? "?";
}
