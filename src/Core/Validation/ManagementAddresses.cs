using Superbridge.Core.Model;

namespace Superbridge.Core.Validation;

/// <summary>
/// The addresses a host must keep reachable: the dashboard's SSH sessions and the segment's tunnels. Both are
/// <see cref="HostInfo.Address"/> today; a NATed host that binds tunnels to a private address changes
/// <see cref="Tunnel"/> here and nowhere else.
/// </summary>
internal static class ManagementAddresses
{
    public static string Ssh(HostInfo host) => host.Address;

    public static string Tunnel(HostInfo host) => host.Address;
}
