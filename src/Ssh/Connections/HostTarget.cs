using Superbridge.Core.Model;

namespace Superbridge.Ssh.Connections;

/// <summary>Everything needed to open a session to one host: who it is, where, how to log in, which key to accept.</summary>
public sealed record HostTarget(HostId Id, HostEndpoint Endpoint, HostCredentials Credentials, HostKeyPolicy HostKey)
{
    public override string ToString() => $"{Id} ({Endpoint}, {HostKey})";
}
