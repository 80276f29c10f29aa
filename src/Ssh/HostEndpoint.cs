using System.Net;

namespace Superbridge.Ssh;

/// <summary>
/// Where and as whom the dashboard logs in. <see cref="UseSudo"/> runs every command through
/// <c>sudo -n --</c>, for a non-root user with passwordless sudo.
/// </summary>
public sealed record HostEndpoint
{
    public HostEndpoint(string address, int port, string username, bool useSudo)
    {
        if (string.IsNullOrWhiteSpace(address)) throw new ArgumentException("A host needs an address.", nameof(address));
        if (port is < 1 or > 65535) throw new ArgumentOutOfRangeException(nameof(port), port, "A port is between 1 and 65535.");
        if (string.IsNullOrWhiteSpace(username)) throw new ArgumentException("A host needs a user name to log in as.", nameof(username));
        Address = address.Trim();
        Port = port;
        Username = username.Trim();
        UseSudo = useSudo;
    }

    public string Address { get; }
    public int Port { get; }
    public string Username { get; }
    public bool UseSudo { get; }

    /// <summary>Root login on the standard port.</summary>
    public static HostEndpoint Root(string address, int port = 22) => new(address, port, "root", useSudo: false);

    /// <summary>A non-root user whose commands run through <c>sudo -n</c>.</summary>
    public static HostEndpoint SudoUser(string address, string username, int port = 22) => new(address, port, username, useSudo: true);

    /// <summary><c>user@address:port</c>, with IPv6 addresses in brackets.</summary>
    public override string ToString()
    {
        var host = IPAddress.TryParse(Address, out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? $"[{Address}]"
            : Address;
        return $"{Username}@{host}:{Port}";
    }
}
