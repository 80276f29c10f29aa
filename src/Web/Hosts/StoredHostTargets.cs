using Superbridge.Core.Model;
using Superbridge.Ssh.Apply;
using Superbridge.Ssh.Connections;

namespace Superbridge.Web.Hosts;

/// <summary>How the executor reaches a host: its stored address, credentials and pinned key.</summary>
public sealed class StoredHostTargets(HostStore store) : IHostTargetSource
{
    public async Task<HostTarget?> FindAsync(HostId host, CancellationToken cancellationToken) =>
        (await store.FindAsync(host.Value, cancellationToken))?.ToTarget();
}
