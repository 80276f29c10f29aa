using Superbridge.Web.Ipsec;
using Superbridge.Web.Tests.Components.Support;

namespace Superbridge.Web.Tests.Ipsec;

public sealed class LinkSaBuilderTests
{
    private static readonly DateTimeOffset Read = FixedTimeProvider.Start;

    private static LinkSa Link(params Web.Inventory.HostStatus[] statuses) =>
        Assert.Single(LinkSaBuilder.Build(SaFixtures.Spec, SaFixtures.Hosts(statuses))!.Value);

    [Fact]
    public void An_end_whose_ike_sa_is_up_with_both_vxlan_children_installed_is_established_with_dates_from_the_read()
    {
        var link = Link(SaFixtures.Read(SaFixtures.Vm1, "vm1-established.txt", Read), SaFixtures.Read(SaFixtures.Vm2, "vm2-established.txt", Read));

        Assert.Equal((SaFixtures.Vm1, SaFixtures.Vm2, SaFixtures.Connection), (link.A, link.B, link.Connection));
        Assert.Equal(new LinkSaEnd(SaFixtures.Vm1, "established", true, "ESTABLISHED",
            // established 16 s ago; the -out child rekeys first (3250 s; the IKE SA in 13332 s); -in received 624 bytes in 3 packets, -out sent 540 in 5.
            Read - TimeSpan.FromSeconds(16), Read + TimeSpan.FromSeconds(3250),
            624, 3, 540, 5, Read), link.EndA);
        Assert.True(link.EndB.Established);
        // What one end sends, the other receives.
        Assert.Equal((link.EndA.PacketsOut, link.EndA.PacketsIn), (link.EndB.PacketsIn, link.EndB.PacketsOut));
    }

    [Fact]
    public void An_ike_sa_still_connecting_is_not_established_and_has_no_dates_or_traffic()
    {
        var end = Link(SaFixtures.Read(SaFixtures.Vm1, "vm1-connecting.txt", Read)).EndA;

        Assert.Equal(new LinkSaEnd(SaFixtures.Vm1, "not-established", false, "CONNECTING", null, null, 0, 0, 0, 0, Read), end);
    }

    [Fact]
    public void A_host_whose_charon_has_no_sa_of_the_connection_is_not_established()
    {
        var end = Link(new Web.Inventory.HostStatus
        {
            HostId = SaFixtures.Vm1, State = Web.Inventory.HostState.Online, Observed = Core.Observed.ObservedHost.Empty(SaFixtures.Vm1), ObservedAt = Read,
        }).EndA;

        Assert.Equal(new LinkSaEnd(SaFixtures.Vm1, "not-established", false, null, null, null, 0, 0, 0, 0, Read), end);
    }

    [Fact]
    public void A_host_never_read_is_unknown()
    {
        var link = Link();

        Assert.Equal(LinkSaEnd.Unknown(SaFixtures.Vm1), link.EndA);
        Assert.Equal(LinkSaEnd.Unknown(SaFixtures.Vm2), link.EndB);
    }

    [Fact]
    public void A_segment_without_encryption_has_no_sa_view()
    {
        Assert.Null(LinkSaBuilder.Build(SaFixtures.Spec with { Encryption = Core.Model.Encryption.None }, SaFixtures.Hosts()));
    }
}
