using Superbridge.Core.Model;

namespace Superbridge.Ssh.Connections;

/// <summary>A host's reachability after a refresh: online with the key it presented, or offline with why.</summary>
public sealed record HostReachability
{
    public required HostId Id { get; init; }
    public required HostEndpoint Endpoint { get; init; }
    public HostKeyInfo? HostKey { get; init; }
    public SshFailure? Failure { get; init; }

    /// <summary>How long reaching the host (or giving up on it) took.</summary>
    public required TimeSpan Elapsed { get; init; }

    public bool IsOnline => Failure is null;
}
