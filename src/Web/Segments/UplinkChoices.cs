using System.Collections.Immutable;
using Superbridge.Core.Model;
using Superbridge.Core.Validation;
using Superbridge.Operations;
using Superbridge.Web.Topology;

namespace Superbridge.Web.Segments;

/// <summary>How an uplink differs between what is wanted and what the hosts have.</summary>
public enum UplinkChange { None, Add, Remove }

/// <summary>An uplink on the segment page: wanted (perhaps not applied yet), or applied and no longer wanted.</summary>
public sealed record UplinkRow(string Host, string Interface, UplinkChange Pending);

/// <summary>A NIC a host was last seen with, and why it cannot be an uplink of the segment (null: it can).</summary>
public sealed record NicChoice(string Name, string? Refusal);

/// <summary>
/// The segment page's uplink card: its rows, and each host's NICs with Core's own refusal (<see cref="UplinkGuard"/>),
/// so what the picker disables is what saving or applying would refuse.
/// </summary>
public static class UplinkChoices
{
    public static ImmutableArray<UplinkRow> Rows(SegmentRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var wanted = record.Desired.Spec.Uplinks;
        var applied = record.Applied?.Spec.Uplinks ?? [];
        return
        [
            .. wanted.Select(u => new UplinkRow(u.Host.Value, u.Interface,
                record.Applied is not null && !applied.Contains(u) ? UplinkChange.Add : UplinkChange.None)),
            // Removed from the wanted state but still bridged until the next apply: shown so the change is visible.
            .. applied.Where(u => !wanted.Contains(u)).Select(u => new UplinkRow(u.Host.Value, u.Interface, UplinkChange.Remove)),
        ];
    }

    /// <returns>The host's NICs by name; null when it has not been observed (its NICs are unknown).</returns>
    public static ImmutableArray<NicChoice>? For(SegmentSpec spec, string host, KnownHosts hosts)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(hosts);
        var id = new HostId(host);
        var infos = hosts.Infos();
        if (hosts.Status(host).Observed is not { } observed || !infos.TryGetValue(id, out var info)) return null;
        var peers = spec.Members.Where(m => m != id && infos.ContainsKey(m)).Select(m => infos[m]).ToList();
        return
        [
            .. observed.Links.OrderBy(l => l.Name, StringComparer.Ordinal).Select(link => new NicChoice(link.Name,
                spec.Uplinks.Contains(new UplinkSpec(id, link.Name)) ? "already an uplink of this segment"
                : spec.Router is { Mode: RouterMode.External } router && router.Host == id && router.ExternalInterface == link.Name
                    ? "already the external router's interface"
                : UplinkGuard.Problem(link.Name, spec.Bridge, info, observed, peers)?.Reason
                    // Allowed by Core (an applied uplink is one), but nothing to add: tunnels and containers of the segment are there.
                    ?? (link.Master == spec.Bridge ? $"already a port of {spec.Bridge}" : null))),
        ];
    }
}
