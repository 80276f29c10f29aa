using System.Collections.Concurrent;
using System.Collections.Immutable;
using Superbridge.Core.Model;
using Superbridge.Core.Mtu;

namespace Superbridge.Operations;

/// <summary>
/// Underlay path MTUs, measured when first needed and remembered per (host, local address, remote address) for
/// <see cref="Lifetime"/>: a preview and the apply that follows plan from the same figures, and re-plans do not probe
/// again. A path whose sender's interface MTU changed is measured again.
/// </summary>
public sealed class PathMtuMeter(IPathProber prober, TimeProvider time, TimeSpan? lifetime = null)
{
    private readonly ConcurrentDictionary<(HostId Host, string Local, string Remote), MeasuredPath> _known = new();

    public TimeSpan Lifetime { get; } = lifetime ?? TimeSpan.FromMinutes(10);

    /// <summary>The measurements of the segment's paths, probing those not known (or too old).</summary>
    public async Task<(ImmutableArray<MeasuredPath> Paths, ImmutableArray<PreflightProblem> Problems)> MeasureAsync(
        SegmentSpec spec, IReadOnlyDictionary<HostId, HostInfo> hosts, OperationContext context, CancellationToken cancellationToken)
    {
        var paths = UnderlayPaths.Of(spec, hosts);
        var now = time.GetUtcNow();
        var missing = paths.Where(p => Known(p, now) is null).ToList();
        var problems = ImmutableArray<PreflightProblem>.Empty;
        if (missing.Count > 0)
        {
            var probed = await prober.ProbeAsync(missing, context, cancellationToken);
            var measuredAt = time.GetUtcNow();
            foreach (var result in probed.Results)
                _known[Key(result.Path)] = new MeasuredPath(result.Path, result.Mtu, result.Failure, measuredAt);
            problems = probed.Problems;
        }
        return ([.. paths.Select(p => Known(p, now)).OfType<MeasuredPath>()], problems);
    }

    /// <summary>The last measurement of every path, however old: what was last planned from (drift and cached previews use it).</summary>
    public ImmutableArray<MeasuredPath> Remembered => [.. _known.Values];

    private MeasuredPath? Known(UnderlayPath path, DateTimeOffset now) =>
        _known.TryGetValue(Key(path), out var known) && known.Path == path && now - known.MeasuredAt < Lifetime ? known : null;

    private static (HostId, string, string) Key(UnderlayPath path) => (path.From, path.LocalAddress, path.RemoteAddress);
}
