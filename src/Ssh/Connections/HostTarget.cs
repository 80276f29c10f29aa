using Superbridge.Core.Model;

namespace Superbridge.Ssh.Connections;

/// <summary>Everything needed to open a session to one host: who it is, where, how to log in, which key to accept.</summary>
public sealed record HostTarget(HostId Id, HostEndpoint Endpoint, HostCredentials Credentials, HostKeyPolicy HostKey)
{
    public override string ToString() => $"{Id} ({Endpoint}, {HostKey})";
}

/// <summary>A host's reachability after a refresh: online with the key it presented, or offline with why.</summary>
public sealed record HostStatus
{
    public required HostId Id { get; init; }
    public required HostEndpoint Endpoint { get; init; }
    public HostKeyInfo? HostKey { get; init; }
    public SshFailure? Failure { get; init; }

    /// <summary>How long reaching the host (or giving up on it) took.</summary>
    public required TimeSpan Elapsed { get; init; }

    public bool IsOnline => Failure is null;
}
