using Superbridge.Core.Model;
using Superbridge.Ssh.Connections;

namespace Superbridge.Ssh.Apply;

/// <summary>
/// Opens a fresh session to a host whose connection dropped, so a rollback can still reach it. One attempt per call
/// (the caller decides how often and how long to wait); throws <see cref="SshFailureException"/> when the host
/// cannot be reached.
/// </summary>
public interface IHostReconnector
{
    Task<IHostSession> ReconnectAsync(HostId host, CancellationToken cancellationToken);
}
