using System.Collections.Immutable;
using Superbridge.Core.Mtu;

namespace Superbridge.Operations;

/// <summary>
/// Measures underlay paths with don't-fragment probes from their sending hosts: one program per host covering all its
/// peers, hosts in parallel. A host that cannot be reached is a problem, not a measurement.
/// </summary>
public interface IPathProber
{
    Task<PathProbes> ProbeAsync(IReadOnlyCollection<UnderlayPath> paths, OperationContext context, CancellationToken cancellationToken);
}

/// <summary>A probed path: the largest packet that crossed, or null and why not.</summary>
public sealed record PathProbeResult(UnderlayPath Path, int? Mtu, string? Failure);

public sealed record PathProbes(ImmutableArray<PathProbeResult> Results, ImmutableArray<PreflightProblem> Problems);
