using System.Collections.Immutable;
using Superbridge.Core.Model;
using Superbridge.Core.Observed;
using Superbridge.Operations;
using Superbridge.Ssh.Apply;

namespace Superbridge.Web.Segments;

/// <summary>The member hosts of a segment as just observed: how to reach each, what the planner must know, and its state.</summary>
public sealed record SegmentHostSnapshot(
    ImmutableDictionary<HostId, ApplyHost> Hosts,
    ImmutableDictionary<HostId, ObservedHost> Observed)
{
    public IReadOnlyDictionary<HostId, HostInfo> Infos => Hosts.ToImmutableDictionary(h => h.Key, h => h.Value.Info);
}
