using System.Net;
using Superbridge.Core.Validation;
using Superbridge.Web.Validation;

namespace Superbridge.Web.Hosts;

/// <summary>
/// The SSH, tunnel and peer addresses of a host, checked together (adding a host, and PATCH of the two). The SSH
/// address may be loopback (a port forward) only when a peer address says where peers send tunnels instead.
/// </summary>
public static class HostAddressRules
{
    public static void Check(FieldErrors errors, string? sshAddress, string? tunnelAddress, string? peerAddress)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var peerGiven = !string.IsNullOrWhiteSpace(peerAddress);
        if (string.IsNullOrWhiteSpace(sshAddress))
            errors.Add("address", "address is required");
        else if (!IpAddressRules.TryParse(sshAddress, out var ssh))
            errors.Add("address", $"address {IpAddressRules.EndpointProblem(sshAddress)}");
        else if (!peerGiven && IPAddress.IsLoopback(ssh))
            errors.Add("peerAddress", $"peerAddress is required: the SSH address {sshAddress} is loopback (a port forward?), so peers cannot send tunnels to it");
        else if (!peerGiven && IpAddressRules.EndpointProblem(sshAddress) is { } problem)
            errors.Add("address", $"address {problem}");

        if (peerGiven && IpAddressRules.EndpointProblem(peerAddress) is { } peerProblem)
            errors.Add("peerAddress", $"peerAddress {peerProblem} (it is what peers send this host's tunnel packets to)");
        if (!string.IsNullOrWhiteSpace(tunnelAddress))
        {
            if (IpAddressRules.EndpointProblem(tunnelAddress) is { } tunnelProblem)
                errors.Add("tunnelAddress", $"tunnelAddress {tunnelProblem} (it is the address this host's tunnels bind)");
            else if (IpAddressRules.TryParse(tunnelAddress, out var tunnel) && IpAddressRules.TryParse(peerGiven ? peerAddress : sshAddress, out var peer)
                && tunnel.AddressFamily != peer.AddressFamily)
                errors.Add("tunnelAddress", $"tunnelAddress {tunnelAddress} is not of the family of the peer address {(peerGiven ? peerAddress : sshAddress)}");
        }
    }

    /// <summary>Blank means "not set": the default applies.</summary>
    public static string? Normalize(string? address) => string.IsNullOrWhiteSpace(address) ? null : address.Trim();
}
