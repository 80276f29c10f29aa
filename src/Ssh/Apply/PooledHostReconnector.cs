using Superbridge.Core.Model;
using Superbridge.Ssh.Connections;

namespace Superbridge.Ssh.Apply;

/// <summary>
/// Reconnects through the pool: the dropped connection is closed and forgotten first, so the pool dials anew instead
/// of handing back the broken one (it may not have noticed yet that the connection is gone).
/// </summary>
internal sealed class PooledHostReconnector(SshConnectionPool pool, IHostTargetSource targets) : IHostReconnector
{
    public async Task<IHostSession> ReconnectAsync(HostId host, CancellationToken cancellationToken)
    {
        var target = await targets.FindAsync(host, cancellationToken)
            ?? throw new SshFailureException(new SshFailure(SshFailureReason.Other, $"host {host} is not known (no address or credentials)"));
        await pool.RemoveAsync(host);
        return await pool.GetAsync(target, cancellationToken);
    }
}
