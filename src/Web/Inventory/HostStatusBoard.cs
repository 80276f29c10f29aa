using Superbridge.Ssh.Audit;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Superbridge.Core.Model;
using Superbridge.Ssh;
using Superbridge.Ssh.Inventory;
using Superbridge.Web.Hosts;

namespace Superbridge.Web.Inventory;

/// <summary>
/// The latest inventory and status of every host, for the Hosts pages and the REST API (a singleton). Refreshes run
/// per host in parallel and each result is published as soon as it arrives, so a slow host holds no one else up.
/// Pages follow changes with <see cref="WatchAsync"/>.
/// </summary>
public sealed class HostStatusBoard(HostStore hosts, IHostInventorySource source, TimeProvider time, ILogger<HostStatusBoard> logger)
{
    private readonly ConcurrentDictionary<string, HostStatus> _statuses = new(StringComparer.Ordinal);
    private readonly Lock _subscribersLock = new();
    private readonly List<Channel<HostStatus>> _subscribers = [];

    /// <summary>The host's latest status; <see cref="HostState.Unknown"/> when never refreshed.</summary>
    public HostStatus Get(string hostId) => _statuses.TryGetValue(hostId, out var status) ? status : HostStatus.UnknownFor(hostId);

    /// <summary>Every change from now on (a refresh starting, a result arriving), until cancelled.</summary>
    public async IAsyncEnumerable<HostStatus> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var channel = Channel.CreateUnbounded<HostStatus>(new UnboundedChannelOptions { SingleReader = true });
        lock (_subscribersLock) _subscribers.Add(channel);
        try
        {
            await foreach (var status in channel.Reader.ReadAllAsync(cancellationToken))
            {
                yield return status;
            }
        }
        finally
        {
            lock (_subscribersLock) _subscribers.Remove(channel);
        }
    }

    /// <summary>Inventories one host; null when no such host is stored.</summary>
    /// <param name="audit">Whom the inventory runs for; null: the dashboard itself.</param>
    public async Task<HostStatus?> RefreshAsync(string hostId, AuditTag? audit = null, CancellationToken cancellationToken = default)
    {
        var all = await hosts.ListAsync(cancellationToken);
        var host = all.FirstOrDefault(h => h.Id == hostId);
        return host is null ? null : await RefreshHostAsync(host, UnderlayMap(all), cancellationToken, audit);
    }

    /// <summary>
    /// Inventories the given hosts at once, reading the stored hosts once (an operation's hosts); ids of hosts not
    /// stored are left out of the answer.
    /// </summary>
    public async Task<IReadOnlyList<(StoredHost Host, HostStatus Status)>> RefreshAsync(
        IReadOnlyCollection<string> hostIds, AuditTag audit, CancellationToken cancellationToken = default)
    {
        var all = await hosts.ListAsync(cancellationToken);
        var map = UnderlayMap(all);
        var wanted = all.Where(h => hostIds.Contains(h.Id)).ToList();
        return await Task.WhenAll(wanted.Select(async h => (h, await RefreshHostAsync(h, map, cancellationToken, audit))));
    }

    /// <summary>Inventories every stored host at once; each row is published when its own result arrives.</summary>
    public async Task<IReadOnlyList<HostStatus>> RefreshAllAsync(CancellationToken cancellationToken = default)
    {
        var all = await hosts.ListAsync(cancellationToken);
        var map = UnderlayMap(all);
        foreach (var host in all)
        {
            Publish(_statuses.AddOrUpdate(host.Id, id => HostStatus.UnknownFor(id) with { IsRefreshing = true }, (_, s) => s with { IsRefreshing = true }));
        }
        return await Task.WhenAll(all.Select(h => Task.Run(() => RefreshHostAsync(h, map, cancellationToken), cancellationToken)));
    }

    /// <summary>Refreshes, in the background, the hosts never inventoried since the dashboard started.</summary>
    public async Task RefreshUnknownAsync(CancellationToken cancellationToken = default)
    {
        var all = await hosts.ListAsync(cancellationToken);
        var map = UnderlayMap(all);
        var unknown = all.Where(h => Get(h.Id) is { State: HostState.Unknown, IsRefreshing: false }).ToList();
        await Task.WhenAll(unknown.Select(h => Task.Run(() => RefreshHostAsync(h, map, cancellationToken), cancellationToken)));
    }

    /// <summary>Drops what is known of a removed host.</summary>
    public void Forget(string hostId) => _statuses.TryRemove(hostId, out _);

    /// <summary>Tunnel remote → host: a tunnel's remote is its peer's peer address (the SSH address unless set).</summary>
    public static IReadOnlyDictionary<string, HostId> UnderlayMap(IEnumerable<StoredHost> all)
    {
        var map = new Dictionary<string, HostId>(StringComparer.OrdinalIgnoreCase);
        foreach (var host in all) map.TryAdd(host.EffectivePeerAddress, new HostId(host.Id));
        return map;
    }

    private async Task<HostStatus> RefreshHostAsync(
        StoredHost host, IReadOnlyDictionary<string, HostId> map, CancellationToken cancellationToken, AuditTag? audit = null)
    {
        Publish(_statuses.AddOrUpdate(host.Id, id => HostStatus.UnknownFor(id) with { IsRefreshing = true }, (_, s) => s with { IsRefreshing = true }));
        HostInventoryResult result;
        try
        {
            result = await source.RefreshAsync(host, map, audit ?? AuditTag.System, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Publish(_statuses.AddOrUpdate(host.Id, HostStatus.UnknownFor, (_, s) => s with { IsRefreshing = false }));
            throw;
        }
        catch (Exception e)
        {
            // A bug, not the host's fault: shown on the row instead of leaving it spinning forever.
            logger.LogError(e, "Inventory of host {HostId} failed unexpectedly", host.Id);
            result = new HostInventoryResult.Offline
            {
                HostId = new HostId(host.Id),
                Duration = TimeSpan.Zero,
                Failure = new SshFailure(SshFailureReason.Other, $"The inventory of {host.Id} failed: {e.GetType().Name}: {e.Message}"),
            };
        }

        var now = time.GetUtcNow();
        var status = _statuses.AddOrUpdate(host.Id, id => Apply(HostStatus.UnknownFor(id), result, now), (_, s) => Apply(s, result, now));
        Publish(status);
        return status;
    }

    private static HostStatus Apply(HostStatus previous, HostInventoryResult result, DateTimeOffset now) => result switch
    {
        HostInventoryResult.Online online => previous with
        {
            State = HostState.Online,
            IsRefreshing = false,
            Reason = null,
            Message = null,
            Inventory = online.Inventory,
            Observed = online.Host,
            ObservedAt = now,
            RefreshedAt = now,
            Duration = online.Duration,
        },
        HostInventoryResult.Offline offline => previous with
        {
            State = HostState.Offline,
            IsRefreshing = false,
            Reason = offline.Reason,
            Message = offline.Message,
            RefreshedAt = now,
            Duration = offline.Duration,
        },
        _ => throw new ArgumentOutOfRangeException(nameof(result), result, "Unknown inventory result."),
    };

    private void Publish(HostStatus status)
    {
        lock (_subscribersLock)
        {
            foreach (var subscriber in _subscribers) subscriber.Writer.TryWrite(status);
        }
    }
}
