using Superbridge.Core.Support;
using CsCheck;
using Superbridge.Core.Allocation;
using Superbridge.Core.Commands;
using Superbridge.Core.Model;
using Superbridge.Core.Planning;
using Superbridge.Core.Tests.Support;
using Superbridge.Core.Validation;

namespace Superbridge.Core.Tests.Properties;

/// <summary>Random trees of hosts, random transports and routers: the invariants hold for all of them.</summary>
public class TopologyPropertyTests
{
    private sealed record Case(Transport Transport, int Hosts, int[] Parents, int Router, bool Ipv6);

    private static readonly Gen<Case> Cases =
        Gen.Select(Gen.Enum<Transport>(), Gen.Int[2, 12], Gen.Bool, Gen.Int[0, 1_000_000], (transport, n, ipv6, seed) =>
        {
            var random = new Random(seed);
            var parents = Enumerable.Range(0, n).Select(i => i == 0 ? -1 : random.Next(i)).ToArray();
            return new Case(transport, n, parents, random.Next(n), ipv6);
        });

    private static (SegmentSpec, Dictionary<HostId, HostInfo>) Build(Case c)
    {
        var hosts = Enumerable.Range(1, c.Hosts).Select(n => Given.Host(n, c.Ipv6 ? $"2001:db8::{n:x}" : null)).ToDictionary(h => h.Id);
        var spec = Given.Segment(c.Transport, c.Hosts) with
        {
            Links = c.Transport == Transport.Vxlan ? [] : [.. Enumerable.Range(1, c.Hosts - 1).Select(i => Given.Link($"h{c.Parents[i] + 1}", $"h{i + 1}"))],
            Router = Given.Router($"h{c.Router + 1}"),
        };
        return (spec, hosts);
    }

    [Fact]
    public void Every_tree_allocates_unique_values_per_host_and_plans_safe_words()
    {
        Cases.Sample(c =>
        {
            var (spec, hosts) = Build(c);
            var segment = SegmentAllocator.Allocate(spec, hosts, []).Value;
            var ends = segment.Allocation.Links.SelectMany(l => new[] { l, l.Reversed() }).ToList();
            foreach (var host in ends.GroupBy(e => e.A))
            {
                Assert.Equal(host.Count(), host.Select(e => e.DeviceA).Distinct().Count());
                if (c.Transport.IsL2tp())
                {
                    Assert.Equal(host.Count(), host.Select(e => e.TunnelIdA).Distinct().Count());
                    Assert.Equal(host.Count(), host.Select(e => e.SessionIdA).Distinct().Count());
                }
            }
            Assert.All(ends.Select(e => e.DeviceA).Concat(segment.Allocation.VxlanDevices.Select(d => d.Device)),
                name => Assert.Null(NameRules.InterfaceProblem(name)));

            var plan = SegmentPlanner.Plan(segment, hosts).Value;
            foreach (var step in plan.Hosts.SelectMany(h => h.Steps))
                foreach (var command in new[] { step.Do, step.Undo, step.Check }.OfType<Command>())
                    Assert.All(command.Argv, word => Assert.True(word.All(ch => ch is >= ' ' and <= '~'), $"non-printable word in {command}"));
            var expectedDevices = c.Transport == Transport.Vxlan ? c.Hosts : 2 * (c.Hosts - 1);
            Assert.Equal(expectedDevices, plan.Hosts.SelectMany(h => h.Steps).Count(s => s.Id.StartsWith("link:") || s.Id.StartsWith("l2tp-session:")));
        }, iter: 200);
    }

    [Fact]
    public void Every_tree_applies_replans_to_nothing_and_tears_down_to_the_start()
    {
        Cases.Sample(c =>
        {
            var (spec, hosts) = Build(c);
            var fakes = hosts.Keys.ToDictionary(h => h.Value, h => new FakeHost(h.Value));
            var before = fakes.ToDictionary(f => f.Key, f => f.Value.Snapshot());
            var segment = SegmentAllocator.Allocate(spec, hosts, [], FakeExecutor.Observe(fakes)).Value;
            FakeExecutor.Apply(SegmentPlanner.Plan(segment, hosts, FakeExecutor.Observe(fakes)).Value, fakes);
            Assert.Equal(0, SegmentPlanner.Plan(segment, hosts, FakeExecutor.Observe(fakes)).Value.StepCount);
            FakeExecutor.Apply(SegmentPlanner.PlanTeardown(segment, hosts, FakeExecutor.Observe(fakes)).Value, fakes);
            Assert.All(fakes, f => Assert.Equal(before[f.Key], f.Value.Snapshot()));
        }, iter: 100);
    }

    [Fact]
    public void Adding_a_random_cycle_link_is_always_rejected_without_stp()
    {
        Cases.Where(c => c.Transport != Transport.Vxlan && c.Hosts >= 3).Sample(c =>
        {
            var (spec, hosts) = Build(c);
            // Link the last host to a host that is not its parent: always closes a cycle in a tree.
            var last = c.Hosts;
            var other = Enumerable.Range(1, c.Hosts - 1).First(n => n != c.Parents[last - 1] + 1);
            var cyclic = spec with { Links = [.. spec.Links, Given.Link($"h{last}", $"h{other}")] };
            var error = Assert.Single(SegmentAllocator.Allocate(cyclic, hosts, []).Errors);
            Assert.Equal(ErrorCode.Cycle, error.Code);
            Assert.True(SegmentAllocator.Allocate(cyclic with { Stp = true }, hosts, []).IsOk);
        }, iter: 200);
    }
}
