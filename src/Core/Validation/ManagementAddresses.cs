using Superbridge.Core.Model;
using Superbridge.Core.Observed;
using Superbridge.Core.Planning;

namespace Superbridge.Core.Validation;

/// <summary>
/// The addresses a host must keep reachable: the dashboard's SSH sessions, and its tunnels' own ends (as
/// <see cref="TunnelAddresses"/> resolves them toward each peer, so a NATed host's private address counts).
/// </summary>
internal static class ManagementAddresses
{
    public static string Ssh(HostInfo host) => host.SshAddress ?? host.Address;

    public static IReadOnlyList<string> Tunnel(HostInfo host, ObservedHost observed, IEnumerable<HostInfo> peers)
    {
        var others = peers.Where(p => p.Id != host.Id).ToList();
        return others.Count == 0
            ? [TunnelAddresses.Local(host, observed, host.Address).Address]
            : [.. others.Select(p => TunnelAddresses.Local(host, observed, p).Address).Distinct()];
    }
}
