using Superbridge.Core.Observed;
using Superbridge.Core.Support;

namespace Superbridge.Core.Tests.Support;

/// <summary>Runs host plans on fake hosts the way the SSH layer does: Check → skip; Do; on failure, Undo completed steps in reverse.</summary>
internal static class FakeExecutor
{
    public static void Apply(Superbridge.Core.Planning.SegmentPlan plan, IReadOnlyDictionary<string, FakeHost> hosts)
    {
        foreach (var host in plan.Hosts)
            foreach (var step in host.Steps)
                hosts[host.Host.Value].Run(step.Do);
    }

    public static Dictionary<Superbridge.Core.Model.HostId, ObservedHost> Observe(IReadOnlyDictionary<string, FakeHost> hosts) =>
        hosts.ToDictionary(h => new Superbridge.Core.Model.HostId(h.Key), h => h.Value.Observe());
}
