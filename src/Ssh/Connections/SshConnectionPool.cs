using System.Collections.Concurrent;
using System.Collections.Immutable;
using Superbridge.Core.Commands;
using Superbridge.Core.Model;
using Superbridge.Ssh.Audit;
using Superbridge.Ssh.Execution;

namespace Superbridge.Ssh.Connections;

/// <summary>
/// One live connection per host id, reused while it stays up, reopened when it dropped or when the host's
/// endpoint, credentials or key policy changed. A singleton: register one per application.
/// </summary>
public sealed class SshConnectionPool : IAsyncDisposable
{
    private readonly ISshConnector _connector;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<HostId, Entry> _entries = new();
    private int _disposed;

    public SshConnectionPool(ISshConnector connector, TimeProvider timeProvider)
    {
        _connector = connector ?? throw new ArgumentNullException(nameof(connector));
        _time = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
    }

    /// <summary>The pool and its connector in one call (what the web registers as a singleton).</summary>
    public static SshConnectionPool Create(SshOptions? options = null, TimeProvider? timeProvider = null, IAuditSink? auditSink = null)
    {
        var time = timeProvider ?? TimeProvider.System;
        return new SshConnectionPool(new SshConnector(options ?? SshOptions.Default, time, auditSink ?? NullAuditSink.Instance), time);
    }

    public ISshConnector Connector => _connector;

    /// <summary>The host's live session, connecting (or reconnecting) when needed. Throws <see cref="SshFailureException"/>.</summary>
    public async Task<IHostSession> GetAsync(HostTarget target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var entry = _entries.GetOrAdd(target.Id, static _ => new Entry());
        await entry.Gate.WaitAsync(cancellationToken);
        try
        {
            if (entry.Connection is { } live && entry.Target is { } was)
            {
                if (live.IsConnected && CanServe(was, live, target))
                {
                    entry.Target = target;
                    return live;
                }
                entry.Connection = null;
                entry.Target = null;
                await live.DisposeAsync();
            }
            var connection = await _connector.ConnectAsync(target, cancellationToken);
            entry.Connection = connection;
            entry.Target = target;
            return connection;
        }
        finally
        {
            entry.Gate.Release();
        }
    }

    /// <summary>Runs one argv on the host's pooled session.</summary>
    public async Task<CommandResult> RunAsync(HostTarget target, Command command, RunOptions? options = null, CancellationToken cancellationToken = default)
    {
        var session = await GetAsync(target, cancellationToken);
        return await session.RunAsync(command, options, cancellationToken);
    }

    /// <summary>Whether the host is reachable now: online with its key, or offline with a typed reason. Never throws for the host's fault.</summary>
    public async Task<HostReachability> CheckAsync(HostTarget target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        var started = _time.GetTimestamp();
        try
        {
            var session = await GetAsync(target, cancellationToken);
            return new HostReachability { Id = target.Id, Endpoint = target.Endpoint, HostKey = session.HostKey, Elapsed = _time.GetElapsedTime(started) };
        }
        catch (SshFailureException e)
        {
            return Offline(target, e.Failure, started);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return Offline(target, new SshFailure(SshFailureReason.Other, $"Cannot reach {target.Endpoint}: {e.Message}"), started);
        }
    }

    /// <summary>
    /// Checks all hosts at once, each bounded by its own connect timeout: the whole refresh takes about as long as
    /// the slowest host, not the sum. Results come in the order of <paramref name="targets"/>.
    /// </summary>
    public async Task<ImmutableArray<HostReachability>> CheckAllAsync(IEnumerable<HostTarget> targets, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var checks = targets.Select(t => Task.Run(() => CheckAsync(t, cancellationToken), cancellationToken)).ToArray();
        return [.. await Task.WhenAll(checks)];
    }

    /// <summary>Closes and forgets the host's connection (the host was removed or its settings changed).</summary>
    public async Task RemoveAsync(HostId id)
    {
        if (!_entries.TryRemove(id, out var entry)) return;
        await entry.Gate.WaitAsync();
        try
        {
            if (entry.Connection is { } connection) await connection.DisposeAsync();
            entry.Connection = null;
        }
        finally
        {
            entry.Gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        foreach (var id in _entries.Keys.ToArray()) await RemoveAsync(id);
    }

    /// <summary>
    /// The live connection still serves the target when it goes to the same place with the same credentials and the
    /// target's key policy accepts the key it was made with (so pinning the key after trust-on-first-use keeps it).
    /// </summary>
    private static bool CanServe(HostTarget was, IHostConnection live, HostTarget now) =>
        was.Endpoint == now.Endpoint && was.Credentials == now.Credentials && now.HostKey.Accepts(live.HostKey.Fingerprint);

    private HostReachability Offline(HostTarget target, SshFailure failure, long started) => new()
    {
        Id = target.Id,
        Endpoint = target.Endpoint,
        HostKey = failure.PresentedKey,
        Failure = failure,
        Elapsed = _time.GetElapsedTime(started),
    };

    private sealed class Entry
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);
        public IHostConnection? Connection { get; set; }
        public HostTarget? Target { get; set; }
    }
}
