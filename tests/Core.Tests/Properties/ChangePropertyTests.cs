using Superbridge.Core.Support;
using CsCheck;
using Superbridge.Core.Allocation;
using Superbridge.Core.Model;
using Superbridge.Core.Planning;
using Superbridge.Core.Tests.Support;

namespace Superbridge.Core.Tests.Properties;

/// <summary>Any version of a segment can become any other: after the change, the hosts look as if the new version had been applied fresh.</summary>
public class ChangePropertyTests
{
    private sealed record Version(int Hosts, int[] Parents, int Router, int? Mtu);

    private static readonly Gen<Version> Versions =
        Gen.Select(Gen.Int[2, 7], Gen.Int[0, 1_000_000], Gen.Bool, (n, seed, mtu) =>
        {
            var random = new Random(seed);
            var parents = Enumerable.Range(0, n).Select(i => i == 0 ? -1 : random.Next(i)).ToArray();
            return new Version(n, parents, random.Next(n), mtu ? 1300 + random.Next(100) : null);
        });

    private static SegmentSpec Spec(Transport transport, Version v) => Given.Segment(transport, v.Hosts) with
    {
        Links = transport == Transport.Vxlan ? [] : [.. Enumerable.Range(1, v.Hosts - 1).Select(i => Given.Link($"h{v.Parents[i] + 1}", $"h{i + 1}"))],
        Router = Given.Router($"h{v.Router + 1}"),
        Mtu = v.Mtu,
    };

    [Fact]
    public void Changing_between_any_two_versions_converges_and_tears_down_cleanly()
    {
        Gen.Select(Gen.Enum<Transport>(), Versions, Versions).Sample((transport, first, second) =>
        {
            var hosts = Given.Hosts(7);
            var fakes = hosts.Keys.ToDictionary(h => h.Value, h => new FakeHost(h.Value));
            var clean = fakes.ToDictionary(f => f.Key, f => f.Value.Snapshot());

            var a = SegmentAllocator.Allocate(Spec(transport, first), hosts, [], FakeExecutor.Observe(fakes)).Value;
            FakeExecutor.Apply(SegmentPlanner.Plan(a, hosts, FakeExecutor.Observe(fakes)).Value, fakes);
            var b = SegmentAllocator.Allocate(Spec(transport, second), hosts, [a], FakeExecutor.Observe(fakes)).Value;
            FakeExecutor.Apply(SegmentPlanner.PlanChange(a, b, hosts, FakeExecutor.Observe(fakes)).Value, fakes);

            var after = SegmentPlanner.Plan(b, hosts, FakeExecutor.Observe(fakes)).Value;
            Assert.True(after.StepCount == 0, $"left to do: {string.Join(", ", after.Hosts.SelectMany(h => h.Steps.Select(s => $"{h.Host}:{s.Id}")))}");
            Assert.Empty(after.Drift);

            FakeExecutor.Apply(SegmentPlanner.PlanTeardown(b, hosts, FakeExecutor.Observe(fakes)).Value, fakes);
            Assert.All(fakes, f => Assert.Equal(clean[f.Key], f.Value.Snapshot()));
        }, iter: 150);
    }
}
