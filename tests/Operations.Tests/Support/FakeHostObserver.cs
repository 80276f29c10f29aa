using Superbridge.Core.Support;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using Superbridge.Core.Model;
using Superbridge.Core.Observed;

namespace Superbridge.Operations.Tests.Support;

/// <summary>
/// Hosts as <see cref="FakeHost"/>s (which <see cref="FakePlanExecutor"/> changes by running the plan's argv), or a
/// problem per host (unreachable, unknown). Every call is recorded with its context, so tests can check that each host
/// is observed once per phase and that the operation's id and user travel with every read.
/// </summary>
internal sealed class FakeHostObserver : IHostObserver
{
    private readonly ConcurrentDictionary<HostId, (HostInfo Info, FakeHost Host)> _hosts = new();
    private readonly ConcurrentDictionary<HostId, string> _problems = new();

    public sealed record Call(ImmutableArray<HostId> Hosts, OperationContext Context);

    public ConcurrentQueue<Call> Calls { get; } = new();

    /// <summary>Adds host hN at N.N.N.N with every kernel feature.</summary>
    public FakeHost Add(int n, string forward = "0", params ObservedContainer[] containers)
    {
        var id = new HostId($"h{n}");
        var fake = new FakeHost(id.Value, forward, containers);
        var info = new HostInfo { Id = id, Address = $"{n}.{n}.{n}.{n}", Features = fake.Features };
        _hosts[id] = (info, fake);
        return fake;
    }

    public FakeHost this[HostId host] => _hosts[host].Host;

    public bool Knows(HostId host) => _hosts.ContainsKey(host);

    /// <summary>From now on the host cannot be read (as when SSH fails).</summary>
    public void MakeUnreachable(HostId host, string message = "ssh: connect to host: Connection refused") => _problems[host] = message;

    public void MakeReachable(HostId host) => _problems.TryRemove(host, out _);

    /// <summary>Calls made for one operation (context with its id), in order.</summary>
    public IReadOnlyList<Call> CallsFor(long operationId) => [.. Calls.Where(c => c.Context.OperationId == operationId)];

    public Task<HostObservations> ObserveAsync(IReadOnlyCollection<HostId> hosts, OperationContext context, CancellationToken cancellationToken)
    {
        Calls.Enqueue(new Call([.. hosts], context));
        var seen = ImmutableDictionary.CreateBuilder<HostId, HostObservation>();
        var problems = ImmutableArray.CreateBuilder<PreflightProblem>();
        foreach (var host in hosts.Distinct())
        {
            if (_problems.TryGetValue(host, out var message)) problems.Add(new PreflightProblem(host, $"host {host} is unreachable: {message}"));
            else if (!_hosts.TryGetValue(host, out var known)) problems.Add(new PreflightProblem(host, $"unknown host {host}"));
            else
                lock (known.Host)
                {
                    var observed = known.Host.Observe();
                    seen[host] = new HostObservation(known.Info with { Features = observed.Features }, observed);
                }
        }
        return Task.FromResult(new HostObservations(seen.ToImmutable(), problems.ToImmutable()));
    }
}
