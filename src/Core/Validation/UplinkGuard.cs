using System.Net;
using Superbridge.Core.Model;
using Superbridge.Core.Observed;
using Superbridge.Core.Planning;

namespace Superbridge.Core.Validation;

/// <summary>
/// Whether a host's interface may join a segment's bridge (an uplink, or the external router's interface). A NIC in
/// a bridge loses its addresses and routes to the bridge, so the NIC that carries the SSH session, the tunnels or the
/// default route would cut the dashboard (or the segment) off mid-apply. One function for the validator and the
/// dashboard's picker, so the picker disables exactly what an apply would refuse.
/// </summary>
public static class UplinkGuard
{
    /// <param name="peers">The segment's other members: tunnels to them must not leave by the interface.</param>
    /// <returns>Why the interface cannot be an uplink, or null when it can.</returns>
    public static UplinkRefusal? Problem(string name, string bridge, HostInfo host, ObservedHost observed, IEnumerable<HostInfo> peers)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(observed);
        ArgumentNullException.ThrowIfNull(peers);
        var link = observed.Links.FirstOrDefault(l => l.Name == name);
        if (link is null) return new(ErrorCode.NotFound, $"host {host.Id} has no interface {name}");
        var addresses = observed.Addresses.Where(a => a.Device == name).ToList();
        if (name == "lo" || addresses.Any(a => IPAddress.TryParse(a.Address, out var ip) && IPAddress.IsLoopback(ip)))
            return new(ErrorCode.NotAllowed, $"{name} is the loopback interface");
        if (link.Kind == "bridge") return new(ErrorCode.NotAllowed, $"{name} is a bridge, not a NIC");
        if (link.Kind is "vxlan" or "gretap" or "ip6gretap") return new(ErrorCode.NotAllowed, $"{name} is a {link.Kind} tunnel, not a NIC");
        if (link.Master is { } master && master != bridge) return new(ErrorCode.Conflict, $"{name} is a port of bridge {master}; release it from there first");

        var carried = new List<string>();
        var ssh = ManagementAddresses.Ssh(host);
        var tunnels = ManagementAddresses.Tunnel(host, observed, peers);
        bool Carries(string address) => addresses.Any(a => ObservedIndex.SameAddress(a.Address, address));
        var sshIsTunnel = tunnels.Any(t => ObservedIndex.SameAddress(t, ssh));
        if (Carries(ssh)) carried.Add(sshIsTunnel ? $"{host.Id}'s SSH and tunnel address {ssh}" : $"{host.Id}'s SSH address {ssh}");
        foreach (var tunnel in tunnels.Where(t => !ObservedIndex.SameAddress(t, ssh) && Carries(t)))
            carried.Add($"{host.Id}'s tunnel address {tunnel}");
        if (host.UnderlayDevice == name) carried.Add($"the underlay of {host.Id}'s tunnels");
        if (RouteLookup.DefaultDevice(observed, "inet") == name || RouteLookup.DefaultDevice(observed, "inet6") == name)
            carried.Add("the default route");
        // Peers are sent to at their peer address (Address): the route toward it is the one tunnels take.
        var routed = peers.Where(p => p.Id != host.Id && RouteLookup.Toward(observed, p.Address)?.Device == name)
            .Select(p => $"{p.Id} ({p.Address})").ToList();
        if (routed.Count > 0)
            carried.Add($"the tunnels to {string.Join(", ", routed.Take(3))}{(routed.Count > 3 ? $" and {routed.Count - 3} more" : "")}");
        // A bridge port's addresses and routes stop working: say what would be lost, briefly (errors are one line).
        return carried.Count == 0 ? null : new(ErrorCode.Conflict,
            $"{name} carries {string.Join(", ", carried)}; as a port of {bridge} it would lose them and cut the dashboard off mid-apply");
    }
}

/// <summary>Why an interface may not join a bridge: the error's code and its one-line reason.</summary>
public sealed record UplinkRefusal(ErrorCode Code, string Reason);
