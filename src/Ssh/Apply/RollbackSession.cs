using Superbridge.Core.Model;
using Superbridge.Ssh.Connections;

namespace Superbridge.Ssh.Apply;

/// <summary>
/// A host's session during the rollback. When its connection dropped it is replaced by a fresh one through the
/// reconnector: up to <c>attempts</c> tries, waiting <c>backoff</c> before the first and twice as long before each
/// next. Once that gave up the host stays <see cref="Unreachable"/> for the rest of the rollback. Without a
/// reconnector the first session is kept, as it is.
/// </summary>
internal sealed class RollbackSession(HostId host, IHostSession session, IHostReconnector? reconnector, int attempts, TimeSpan backoff, TimeProvider time)
{
    public IHostSession Current { get; private set; } = session;

    public bool CanReconnect => reconnector is not null;

    /// <summary>Why the host cannot be reached any more; null while it can (or no reconnect was tried).</summary>
    public string? Unreachable { get; private set; }

    /// <summary>Reconnects first when the session knows its connection is gone. False when the host is unreachable.</summary>
    public async Task<bool> EnsureConnectedAsync()
    {
        if (Unreachable is not null) return false;
        if (Current.IsConnected || !CanReconnect) return true;
        return await ReconnectAsync();
    }

    /// <summary>Replaces the session with a fresh one. False (and <see cref="Unreachable"/> set) when every attempt failed.</summary>
    public async Task<bool> ReconnectAsync()
    {
        if (reconnector is null) throw new InvalidOperationException("No reconnector was given.");
        if (Unreachable is not null) return false;
        var delay = backoff;
        var lastError = "no attempt was allowed";
        for (var attempt = 1; attempt <= attempts; attempt++)
        {
            // The rollback is never cancelled (it is what a cancel starts), so neither are its waits.
            if (delay > TimeSpan.Zero) await Task.Delay(delay, time);
            try
            {
                Current = await reconnector.ReconnectAsync(host, CancellationToken.None);
                return true;
            }
            catch (SshFailureException e)
            {
                lastError = e.Message;
            }
            delay *= 2;
        }
        Unreachable = $"could not reconnect to {host} after {attempts} attempt{(attempts == 1 ? "" : "s")}: {lastError}";
        return false;
    }
}
