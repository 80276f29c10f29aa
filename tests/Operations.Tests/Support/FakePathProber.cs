using System.Collections.Concurrent;
using System.Collections.Immutable;
using Superbridge.Core.Mtu;

namespace Superbridge.Operations.Tests.Support;

/// <summary>Paths probed on the <see cref="FakeHostObserver"/>'s hosts (each sender answers); every call is recorded.</summary>
internal sealed class FakePathProber(FakeHostObserver hosts) : IPathProber
{
    public ConcurrentQueue<ImmutableArray<UnderlayPath>> Calls { get; } = new();

    public Task<PathProbes> ProbeAsync(IReadOnlyCollection<UnderlayPath> paths, OperationContext context, CancellationToken cancellationToken)
    {
        Calls.Enqueue([.. paths]);
        var results = paths.Select(p =>
        {
            var host = hosts[p.From];
            int? mtu;
            lock (host) mtu = host.ProbePath(p.RemoteAddress, p.InterfaceMtu);
            return new PathProbeResult(p, mtu, mtu is null ? "every don't-fragment probe was dropped" : null);
        });
        return Task.FromResult(new PathProbes([.. results], []));
    }
}
