using System.Collections.Concurrent;

namespace Superbridge.Web.Authentication;

/// <summary>
/// Failed sign-ins per client address: after <see cref="MaxFailures"/> within <see cref="Window"/> the client is locked
/// out for <see cref="LockOut"/>, and while locked no password is even checked, so guessing gains nothing.
/// In memory on purpose: a restart forgets, which only gives an attacker one more short run.
/// </summary>
public sealed class SignInThrottle(TimeProvider time)
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan LockOut = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, Record> _clients = new(StringComparer.Ordinal);

    /// <summary>How long <paramref name="client"/> must still wait, or null when it may try.</summary>
    public TimeSpan? LockedFor(string client)
    {
        var now = time.GetUtcNow();
        return _clients.TryGetValue(client, out var record) && record.LockedUntil is { } until && until > now ? until - now : null;
    }

    /// <summary>Counts a failure; returns the lock-out it started, if this was one failure too many.</summary>
    public TimeSpan? Failed(string client)
    {
        var now = time.GetUtcNow();
        Prune(now);
        var record = _clients.AddOrUpdate(client,
            _ => new Record(1, now, null),
            (_, r) => now - r.FirstFailure > Window || r.LockedUntil <= now ? new Record(1, now, null) : r with { Failures = r.Failures + 1 });
        if (record.Failures < MaxFailures) return null;
        _clients[client] = record with { LockedUntil = now + LockOut };
        return LockOut;
    }

    public void Succeeded(string client) => _clients.TryRemove(client, out _);

    /// <summary>Old records go, so a scan from many addresses cannot grow this without bound.</summary>
    private void Prune(DateTimeOffset now)
    {
        if (_clients.Count < 1024) return;
        foreach (var (key, record) in _clients)
            if (now - record.FirstFailure > Window && !(record.LockedUntil > now)) _clients.TryRemove(key, out _);
    }

    private sealed record Record(int Failures, DateTimeOffset FirstFailure, DateTimeOffset? LockedUntil);
}
