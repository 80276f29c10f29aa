namespace Superbridge.Web.Hosts;

/// <summary>
/// What the "Add host" dialog and <c>POST /api/hosts</c> send. Exactly one of
/// <see cref="PrivateKeyPath"/>, <see cref="PrivateKey"/> or <see cref="Password"/>.
/// <see cref="HostKey"/> is the fingerprint the operator confirmed, or <c>trust-on-first-use</c>.
/// </summary>
public sealed record AddHostRequest
{
    public const string TrustOnFirstUse = "trust-on-first-use";

    public string? Name { get; init; }
    public string? Address { get; init; }
    public int? Port { get; init; }
    public string? Username { get; init; }
    public string? PrivateKeyPath { get; init; }
    public string? PrivateKey { get; init; }
    public string? Password { get; init; }
    public string? Passphrase { get; init; }
    public bool UseSudo { get; init; }
    public string? HostKey { get; init; }
    public string? LxcPath { get; init; }
    /// <summary>What this host's tunnels bind as local; blank: its address on the route to its peers.</summary>
    public string? TunnelAddress { get; init; }
    /// <summary>What peers send to; blank: <see cref="Address"/> (required when that is loopback, e.g. a port forward).</summary>
    public string? PeerAddress { get; init; }
}
