namespace Superbridge.Web.Hosts;

/// <summary>
/// A host as the dashboard keeps it. Secrets are held here in clear only in memory;
/// <see cref="HostStore"/> encrypts them before they reach the database.
/// </summary>
public sealed record StoredHost
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    /// <summary>The SSH address (or name) the dashboard connects to.</summary>
    public required string Address { get; init; }
    public int Port { get; init; } = 22;
    public required string Username { get; init; }
    public required HostAuthenticationKind Authentication { get; init; }
    public string? PrivateKeyPath { get; init; }
    /// <summary>The pasted private key or the password, by <see cref="Authentication"/>.</summary>
    public string? Secret { get; init; }
    public string? Passphrase { get; init; }
    public bool UseSudo { get; init; }
    /// <summary>The pinned host key, <c>SHA256:...</c> as <c>ssh-keygen -l</c> prints it.</summary>
    public required string HostKeyFingerprint { get; init; }
    public string? UnderlayDevice { get; init; }
    public int? UnderlayMtu { get; init; }
    public string? LxcPath { get; init; }
    /// <summary>What this host's tunnels bind as <c>local</c>; null: the host's address on the route to its peers (inventory).</summary>
    public string? TunnelAddress { get; init; }
    /// <summary>What peers send to (their <c>remote</c>); null: the SSH address, which must then be on the host or a 1:1 NAT of it.</summary>
    public string? PeerAddress { get; init; }
    /// <summary>The address peers send to: <see cref="PeerAddress"/>, else the SSH address.</summary>
    public string EffectivePeerAddress => string.IsNullOrWhiteSpace(PeerAddress) ? Address : PeerAddress;
    public DateTimeOffset CreatedAt { get; init; }
}
