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

        Assert.True(await store.AddAsync(segment));
        var found = (await store.FindAsync("lab"))?.Desired;

        Assert.NotNull(found);
        Assert.Equal(segment.Spec.Transport, found.Spec.Transport);
        Assert.Equal<HostId>(segment.Spec.Members, found.Spec.Members);
        Assert.Equal(segment.Spec.Links.Single(), found.Spec.Links.Single());
        Assert.Equal(segment.Spec.Router, found.Spec.Router);
        Assert.Equal(segment.Allocation.Links.Single(), found.Allocation.Links.Single());
        Assert.Equal(segment.Allocation.Router, found.Allocation.Router);
    }

    [Fact]
    public async Task Adding_a_taken_name_is_refused_and_keeps_the_stored_segment()
    {
        using var factory = new DashboardFactory();
        var store = factory.Services.GetRequiredService<SegmentStore>();
        var first = Vxlan(100);

        Assert.True(await store.AddAsync(first));
        Assert.False(await store.AddAsync(Vxlan(200)));

        Assert.Equal(100u, Assert.Single(await store.ListAsync()).Desired.Allocation.Vni);
    }

    [Fact]
    public async Task Saving_what_is_wanted_keeps_what_was_applied_and_an_attempt_lasts_until_applied_or_cleared()
    {
        using var factory = new DashboardFactory();
        var store = factory.Services.GetRequiredService<SegmentStore>();
        await store.AddAsync(Vxlan(100));
        await store.MarkAppliedAsync(Vxlan(100));

        await store.SaveDesiredAsync(Vxlan(200));
        await store.SaveAttemptedAsync("lab", Vxlan(200));
        var attempted = (await store.FindAsync("lab"))!;
        await store.ClearAttemptedAsync("lab");
        var cleared = (await store.FindAsync("lab"))!;
        await store.SaveAttemptedAsync("lab", Vxlan(200));
        await store.MarkAppliedAsync(Vxlan(200));
        var applied = (await store.FindAsync("lab"))!;

        Assert.Equal((200u, 100u, 200u), (attempted.Desired.Allocation.Vni!.Value, attempted.Applied!.Allocation.Vni!.Value, attempted.Attempted!.Allocation.Vni!.Value));
        Assert.Null(cleared.Attempted);
        Assert.Equal(100u, cleared.Applied!.Allocation.Vni);
        Assert.Null(applied.Attempted);
        Assert.Equal(200u, applied.Applied!.Allocation.Vni);
        Assert.False(applied.HasUnappliedChanges);
    }

    private static Segment Vxlan(uint vni) =>
        new(new SegmentSpec { Name = "lab", Transport = Transport.Vxlan, Members = [new HostId("h1")] }, new SegmentAllocation { Segment = "lab", Vni = vni });
}
