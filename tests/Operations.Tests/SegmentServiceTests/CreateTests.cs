using Superbridge.Core.Allocation;
using Superbridge.Core.Model;
using Superbridge.Core.Validation;
using Superbridge.Operations.Tests.Support;

namespace Superbridge.Operations.Tests.SegmentServiceTests;

/// <summary>What is wanted: a new segment is allocated against the hosts as observed and stored only when valid.</summary>
public sealed class CreateTests
{
    [Fact]
    public async Task Create_stores_the_allocated_segment_neither_applied_nor_attempted()
    {
        await using var h = new ServiceHarness();

        var created = await h.Service.CreateAsync(ServiceHarness.Spec("lan", Transport.Gretap, "h1", "h2", "h3"), ServiceHarness.User);

        Assert.True(created.IsOk);
        var stored = await h.RecordAsync("lan");
        Assert.True(SegmentRecord.Same(created.Value!.Desired, stored.Desired));
        Assert.Null(stored.Applied);
        Assert.Null(stored.Attempted);
        var links = stored.Desired.Allocation.Links;
        Assert.Equal(2, links.Length);
        Assert.All(links, l => Assert.NotNull(l.GreKey));
        Assert.NotEqual(links[0].GreKey, links[1].GreKey);
        Assert.Equal(["h1", "h2", "h3"], stored.Desired.Spec.Members.Select(m => m.Value));
        Assert.Empty(h.Executor.Calls);
        Assert.Empty(h.Journal.History); // creating is not an operation on hosts
    }

    [Fact]
    public async Task Create_observes_the_members_outside_any_operation_as_the_user()
    {
        await using var h = new ServiceHarness();

        await h.CreateAsync(ServiceHarness.Spec("lan", Transport.Vxlan, "h1", "h2"));

        var call = Assert.Single(h.Observer.Calls);
        Assert.Equal(new OperationContext(null, ServiceHarness.User), call.Context);
        Assert.Equal(["h1", "h2"], call.Hosts.Select(x => x.Value).Order());
    }

    [Fact]
    public async Task A_taken_name_is_refused_naming_name_and_the_stored_segment_is_not_replaced()
    {
        await using var h = new ServiceHarness();
        var first = await h.CreateAsync(ServiceHarness.Spec("lan", Transport.Gretap, "h1", "h2"));

        var again = await h.Service.CreateAsync(ServiceHarness.Spec("lan", Transport.Vxlan, "h2", "h3"), ServiceHarness.User);

        Assert.False(again.IsOk);
        var error = Assert.Single(again.Errors);
        Assert.Equal("name", error.Path);
        Assert.Equal(ErrorCode.Duplicate, error.Code);
        var stored = await h.RecordAsync("lan");
        Assert.True(SegmentRecord.Same(first.Desired, stored.Desired));
        Assert.Equal(Transport.Gretap, stored.Desired.Spec.Transport);
        Assert.Single(await h.Service.ListAsync());
    }

    [Fact]
    public async Task An_unknown_member_host_is_refused_naming_its_index_and_nothing_is_stored()
    {
        await using var h = new ServiceHarness();

        var created = await h.Service.CreateAsync(ServiceHarness.Spec("lan", Transport.Gretap, "h1", "nope"), ServiceHarness.User);

        Assert.False(created.IsOk);
        var error = Assert.Single(created.Errors);
        Assert.Equal("hostIds[1]", error.Path);
        Assert.Equal(ErrorCode.UnknownHost, error.Code);
        Assert.Contains("nope", error.Message);
        Assert.Empty(await h.Service.ListAsync());
    }

    [Fact]
    public async Task An_unreachable_member_host_is_refused_naming_its_index_and_nothing_is_stored()
    {
        await using var h = new ServiceHarness();
        h.Observer.MakeUnreachable("h3");

        var created = await h.Service.CreateAsync(ServiceHarness.Spec("lan", Transport.Vxlan, "h1", "h2", "h3"), ServiceHarness.User);

        Assert.False(created.IsOk);
        var error = Assert.Single(created.Errors);
        Assert.Equal("hostIds[2]", error.Path);
        Assert.Contains("h3", error.Message);
        Assert.Null(await h.Service.FindAsync("lan"));
    }

    [Fact]
    public async Task A_second_segment_is_allocated_against_the_stored_ones()
    {
        await using var h = new ServiceHarness();
        var lan = await h.CreateAsync(ServiceHarness.Spec("lan", Transport.Vxlan, "h1", "h2"));

        var dmz = await h.CreateAsync(ServiceHarness.Spec("dmz", Transport.Vxlan, "h2", "h3"));

        Assert.NotEqual(lan.Desired.Allocation.Vni, dmz.Desired.Allocation.Vni);
    }

    [Fact]
    public async Task A_bridge_another_segment_has_on_a_shared_host_is_refused_and_not_stored()
    {
        await using var h = new ServiceHarness();
        await h.CreateAsync(ServiceHarness.Spec("lan", Transport.Vxlan, "h1", "h2"));

        var clash = await h.Service.CreateAsync(ServiceHarness.Spec("dmz", Transport.Vxlan, "h2", "h3") with { Bridge = "br-lan" }, ServiceHarness.User);

        Assert.False(clash.IsOk);
        Assert.Contains(clash.Errors, e => e.Path == "bridge" && e.Code == ErrorCode.Conflict);
        Assert.Null(await h.Service.FindAsync("dmz"));
    }

    [Fact]
    public async Task SegmentsUsing_lists_segments_naming_the_host_in_their_desired_applied_or_attempted_version()
    {
        await using var h = new ServiceHarness();
        static Segment On(string name, params string[] hosts) =>
            new(ServiceHarness.Spec(name, Transport.Vxlan, hosts), new SegmentAllocation { Segment = name });
        h.Segments.Put(new SegmentRecord(On("wanted", "h9", "h2"), null));
        h.Segments.Put(new SegmentRecord(On("applied", "h1", "h2"), On("applied", "h9", "h3")));
        h.Segments.Put(new SegmentRecord(On("attempted", "h1", "h2"), null, On("attempted", "h4", "h9")));
        h.Segments.Put(new SegmentRecord(On("elsewhere", "h1", "h2"), On("elsewhere", "h2", "h3"), On("elsewhere", "h3", "h4")));

        var using9 = await h.Service.SegmentsUsingAsync("h9");

        Assert.Equal(["applied", "attempted", "wanted"], using9.Order());
        Assert.Equal(["applied", "attempted", "elsewhere", "wanted"], (await h.Service.SegmentsUsingAsync("h2")).Order());
        Assert.Empty(await h.Service.SegmentsUsingAsync("h7"));
    }
}
