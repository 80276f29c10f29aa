using Superbridge.Core.Commands;
using Superbridge.Core.Model;
using Superbridge.Ssh.Execution;

namespace Superbridge.Ssh.Connections;

/// <summary>
/// An authenticated connection to one host that runs commands (through <c>sudo -n --</c> when the endpoint says so).
/// Commands may run concurrently; each one is handed to the audit sink when it ends.
/// </summary>
public interface IHostSession
{
    HostId HostId { get; }
    HostEndpoint Endpoint { get; }

    /// <summary>The key the host presented when this connection was made (pin it after trust-on-first-use).</summary>
    HostKeyInfo HostKey { get; }

    /// <summary>Identifies the underlying SSH connection: the same id means the same client was reused.</summary>
    long ConnectionId { get; }

    bool IsConnected { get; }

    /// <summary>
    /// Runs an argv (quoted with Core's <see cref="PosixShell"/>). Throws <see cref="CommandFailedException"/>
    /// on a non-zero exit unless <see cref="RunOptions.AllowNonZeroExit"/>, and <see cref="SshFailureException"/>
    /// on a timeout, a lost connection, or sudo asking for a password.
    /// </summary>
    Task<CommandResult> RunAsync(Command command, RunOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Runs a script text with <c>sh</c>, from stdin (<c>sh -s</c>) or as <c>sh -c 'script'</c>; same rules as <see cref="RunAsync"/>.</summary>
    Task<CommandResult> RunScriptAsync(string script, ScriptDelivery delivery = ScriptDelivery.StandardInput, RunOptions? options = null, CancellationToken cancellationToken = default);
}

/// <summary>A session its opener owns and must dispose (the pool owns the ones it hands out).</summary>
public interface IHostConnection : IHostSession, IAsyncDisposable;

/// <summary>Opens SSH connections.</summary>
public interface ISshConnector
{
    /// <summary>
    /// Connects only to read the host key, authenticating as nobody and running nothing; the caller shows the
    /// fingerprint for the operator to confirm. Throws <see cref="SshFailureException"/> when the host cannot be reached.
    /// </summary>
    Task<HostKeyInfo> ProbeHostKeyAsync(HostEndpoint endpoint, CancellationToken cancellationToken = default);

    /// <summary>
    /// Opens a session: the host key is checked against <see cref="HostTarget.HostKey"/> before authenticating,
    /// and for a sudo endpoint <c>sudo -n true</c> must pass. Throws <see cref="SshFailureException"/> with a typed reason.
    /// </summary>
    Task<IHostConnection> ConnectAsync(HostTarget target, CancellationToken cancellationToken = default);
}
