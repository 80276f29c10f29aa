using System.Collections.Immutable;
using Microsoft.Extensions.DependencyInjection;
using Superbridge.Core.Allocation;
using Superbridge.Core.Model;
using Superbridge.Web.Segments;
using Superbridge.Web.Tests.Support;

namespace Superbridge.Web.Tests.Segments;

public sealed class SegmentStoreTests
{
    [Fact]
    public async Task A_segment_comes_back_with_its_spec_and_allocated_identifiers()
    {
        using var factory = new DashboardFactory();
        var store = factory.Services.GetRequiredService<SegmentStore>();
        var segment = new Segment(
            new SegmentSpec
            {
                Name = "lab",
                Transport = Transport.L2tpv3Udp,
                Members = [new HostId("h1"), new HostId("h2")],
                Links = [new LinkSpec { A = "h1", B = "h2" }],
                Router = new RouterSpec { Host = "h1", Gateway = "10.0.2.1/24", DhcpRange = new DhcpRange("10.0.2.2", "10.0.2.254"), Nat = true },
            },
            new SegmentAllocation
            {
                Segment = "lab",
                Links = [new LinkAllocation { A = "h1", B = "h2", DeviceA = "sbl-lab-1", DeviceB = "sbl-lab-1", TunnelIdA = 1000, TunnelIdB = 2000, SessionIdA = 3000, SessionIdB = 4000, PortA = 6000, PortB = 5000 }],
                Router = new RouterAllocation("h1", "0"),
            });

        await store.SaveAsync(segment);
        var found = await store.FindAsync("lab");

        Assert.NotNull(found);
        Assert.Equal(segment.Spec.Transport, found.Spec.Transport);
        Assert.Equal<HostId>(segment.Spec.Members, found.Spec.Members);
        Assert.Equal(segment.Spec.Links.Single(), found.Spec.Links.Single());
        Assert.Equal(segment.Spec.Router, found.Spec.Router);
        Assert.Equal(segment.Allocation.Links.Single(), found.Allocation.Links.Single());
        Assert.Equal(segment.Allocation.Router, found.Allocation.Router);
    }

    [Fact]
    public async Task Saving_again_replaces_the_stored_segment()
    {
        using var factory = new DashboardFactory();
        var store = factory.Services.GetRequiredService<SegmentStore>();
        var first = new Segment(new SegmentSpec { Name = "lab", Transport = Transport.Vxlan, Members = [new HostId("h1")] }, new SegmentAllocation { Segment = "lab", Vni = 100 });

        await store.SaveAsync(first);
        await store.SaveAsync(first with { Allocation = first.Allocation with { Vni = 200 } });

        var all = await store.ListAsync();
        Assert.Equal(200u, Assert.Single(all).Allocation.Vni);
    }
}
