using System.Collections.Concurrent;
using System.Collections.Immutable;
using Superbridge.Core.Model;

namespace Superbridge.Operations;

/// <summary>
/// One lock per host id, so two operations never interleave their commands on one host. A singleton: register one
/// per application. Several hosts are always taken in id order, so two operations sharing hosts cannot deadlock.
/// </summary>
public sealed class HostLocks
{
    private readonly ConcurrentDictionary<HostId, SemaphoreSlim> _locks = new();

    /// <summary>Waits for every host's lock (in id order); disposing the lease releases them.</summary>
    public async Task<HostLease> AcquireAsync(IEnumerable<HostId> hosts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        var ordered = hosts.Distinct().Order().ToImmutableArray();
        var taken = new List<SemaphoreSlim>(ordered.Length);
        try
        {
            foreach (var host in ordered)
            {
                var gate = _locks.GetOrAdd(host, static _ => new SemaphoreSlim(1, 1));
                await gate.WaitAsync(cancellationToken);
                taken.Add(gate);
            }
        }
        catch
        {
            foreach (var gate in taken) gate.Release();
            throw;
        }
        return new HostLease(ordered, taken);
    }

    /// <summary>Whether some operation holds the host now (for the UI; the answer may change at once).</summary>
    public bool IsBusy(HostId host) => _locks.TryGetValue(host, out var gate) && gate.CurrentCount == 0;
}

/// <summary>Held locks of some hosts; proof for <see cref="PlanExecutor"/> that nothing else runs there.</summary>
public sealed class HostLease : IDisposable
{
    private List<SemaphoreSlim>? _gates;

    internal HostLease(ImmutableArray<HostId> hosts, List<SemaphoreSlim> gates)
    {
        Hosts = hosts;
        _gates = gates;
    }

    public ImmutableArray<HostId> Hosts { get; }

    public bool IsHeld => _gates is not null;

    public bool Covers(HostId host) => IsHeld && Hosts.Contains(host);

    public void Dispose()
    {
        var gates = Interlocked.Exchange(ref _gates, null);
        if (gates is null) return;
        foreach (var gate in gates) gate.Release();
    }
}
