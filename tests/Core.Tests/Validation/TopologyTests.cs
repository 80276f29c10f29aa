using Superbridge.Core.Allocation;
using Superbridge.Core.Model;
using Superbridge.Core.Planning;
using Superbridge.Core.Tests.Support;
using Superbridge.Core.Validation;

namespace Superbridge.Core.Tests.Validation;

public class TopologyTests
{
    private static SegmentSpec Triangle(Transport transport) => Given.Segment(transport, 3) with
    {
        Links = [Given.Link("h1", "h2"), Given.Link("h2", "h3"), Given.Link("h3", "h1")],
    };

    [Theory]
    [InlineData(Transport.Gretap)]
    [InlineData(Transport.L2tpv3Udp)]
    [InlineData(Transport.L2tpv3Ip)]
    public void A_cycle_of_point_to_point_links_is_rejected_and_named(Transport transport)
    {
        var result = SegmentAllocator.Allocate(Triangle(transport), Given.Hosts(3), []);
        var error = Assert.Single(result.Errors);
        Assert.Equal(("links[2]", ErrorCode.Cycle), (error.Path, error.Code));
        Assert.StartsWith("links h1–h2–h3–h1 form a cycle", error.Message);
    }

    [Fact]
    public void A_longer_cycle_names_every_host_on_it()
    {
        var spec = Given.Segment(Transport.Gretap, 5) with
        {
            Links = [Given.Link("h1", "h2"), Given.Link("h2", "h3"), Given.Link("h3", "h4"), Given.Link("h4", "h5"), Given.Link("h5", "h2")],
        };
        var error = Assert.Single(SegmentAllocator.Allocate(spec, Given.Hosts(5), []).Errors);
        Assert.StartsWith("links h2–h3–h4–h5–h2 form a cycle", error.Message);
    }

    [Fact]
    public void Stp_allows_a_cycle_and_is_enabled_on_every_bridge()
    {
        var hosts = Given.Hosts(3);
        var plan = SegmentPlanner.Plan(Given.Allocated(Triangle(Transport.Gretap) with { Stp = true }, hosts), hosts).Value;
        foreach (var host in plan.Hosts)
        {
            var stp = Assert.Single(host.Steps, s => s.Id == "stp:superbr0");
            Assert.Equal(Given.Argv("ip", "link", "set", "dev", "superbr0", "type", "bridge", "stp_state", "1"), stp.Do.Words());
            Assert.Equal(Given.Argv("ip", "link", "set", "dev", "superbr0", "type", "bridge", "stp_state", "0"), stp.Undo!.Words());
        }
    }

    [Fact]
    public void Without_stp_no_stp_step_is_planned()
    {
        var hosts = Given.Hosts(2);
        var plan = SegmentPlanner.Plan(Given.Allocated(Given.Segment(Transport.Gretap), hosts), hosts).Value;
        Assert.DoesNotContain(plan.Hosts.SelectMany(h => h.Steps), s => s.Id.StartsWith("stp:"));
    }

    [Fact]
    public void A_member_without_links_is_reported()
    {
        var spec = Given.Segment(Transport.Gretap, 4) with { Links = [Given.Link("h1", "h2"), Given.Link("h2", "h3")] };
        var error = Assert.Single(SegmentAllocator.Allocate(spec, Given.Hosts(4), []).Errors);
        Assert.Equal(("links", ErrorCode.NotConnected), (error.Path, error.Code));
        Assert.Contains("h4", error.Message);
    }
}
