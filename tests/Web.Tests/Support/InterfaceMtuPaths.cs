using Superbridge.Core.Mtu;
using Superbridge.Operations;

namespace Superbridge.Web.Tests.Support;

/// <summary>For API tests whose hosts are answered by a fake inventory: every underlay path carries its interface MTU.</summary>
public sealed class InterfaceMtuPaths : IPathProber
{
    public Task<PathProbes> ProbeAsync(IReadOnlyCollection<UnderlayPath> paths, OperationContext context, CancellationToken cancellationToken) =>
        Task.FromResult(new PathProbes([.. paths.Select(p => new PathProbeResult(p, p.InterfaceMtu, null))], []));
}
