using Superbridge.Core.Model;
using Superbridge.Ssh.Connections;

namespace Superbridge.Ssh.Apply;

/// <summary>How to reach a host by its id (the dashboard's stored hosts).</summary>
public interface IHostTargetSource
{
    /// <returns>Null when no such host is known.</returns>
    Task<HostTarget?> FindAsync(HostId host, CancellationToken cancellationToken);
}
