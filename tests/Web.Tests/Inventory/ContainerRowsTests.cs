using Superbridge.Core.Allocation;
using Superbridge.Core.Model;
using Superbridge.Operations;
using Superbridge.Web.Hosts;
using Superbridge.Web.Inventory;
using Superbridge.Web.Tests.Components.Support;

namespace Superbridge.Web.Tests.Inventory;

public sealed class ContainerRowsTests
{
    private static StoredHost Host(string id) => new()
    {
        Id = id, Name = id, Address = InventoryFixtures.CaptureAddress, Username = "root",
        Authentication = HostAuthenticationKind.KeyPath, HostKeyFingerprint = "SHA256:x",
    };

    private static HostStatus Read(string id)
    {
        var capture = InventoryFixtures.Capture(id);
        return HostStatus.UnknownFor(id) with { State = HostState.Online, Observed = capture.Host, Inventory = capture.Inventory };
    }

    [Fact]
    public void A_network_on_a_segments_bridge_names_that_segment_and_the_others_only_their_bridge()
    {
        var spec = new SegmentSpec { Name = "web", Bridge = "sbcap-br0", Transport = Transport.Vxlan, Members = ["ha"] };
        var segment = new Segment(spec, new SegmentAllocation { Segment = "web" });

        var rows = ContainerRows.From([Host("ha")], Read, [new SegmentRecord(segment, null)]);

        Assert.Equal(["sbcap-c1", "sbcap-c2", "sbcap-c3"], rows.Select(r => r.Name));
        Assert.Equal(new ContainerNic(0, null, "sbcap-br0", "web"), Assert.Single(rows[0].Interfaces));
        Assert.Equal(new ContainerNic(0, null, "sbcap-br1", null), Assert.Single(rows[1].Interfaces));
        Assert.Equal(("RUNNING", true), (rows[0].State, rows[0].Autostart));
    }

    [Fact]
    public void A_host_never_read_contributes_no_rows()
    {
        Assert.Empty(ContainerRows.From([Host("hb")], HostStatus.UnknownFor, []));
    }

    [Theory]
    [InlineData("ha", null, null, null, 3)]
    [InlineData("hb", null, null, null, 0)]
    [InlineData(null, null, "stopped", null, 1)]
    [InlineData(null, "web", null, null, 1)]
    [InlineData(null, null, null, "SBCAP-BR1", 1)]
    [InlineData(null, null, null, "10.77.0.65", 1)]
    public void The_filter_narrows_by_host_segment_state_and_text(string? host, string? segment, string? state, string? text, int count)
    {
        var spec = new SegmentSpec { Name = "web", Bridge = "sbcap-br0", Transport = Transport.Vxlan, Members = ["ha"] };
        var rows = ContainerRows.From([Host("ha")], Read, [new SegmentRecord(new Segment(spec, new SegmentAllocation { Segment = "web" }), null)]);

        Assert.Equal(count, new ContainerFilter(host, segment, state, text).Apply(rows).Count());
    }
}
