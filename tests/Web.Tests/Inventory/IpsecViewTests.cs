using Superbridge.Core.Observed;
using Superbridge.Web.Inventory;

namespace Superbridge.Web.Tests.Inventory;

public sealed class IpsecViewTests
{
    private static ObservedHost With(IpsecFacts facts) => ObservedHost.Empty("h1") with { Ipsec = facts };

    [Fact]
    public void A_host_not_read_yet_is_unknown_and_names_nothing_missing()
    {
        var view = IpsecView.Of(null);

        Assert.Equal(("unknown", null), (view.Status, view.Missing));
    }

    [Fact]
    public void A_ready_host_shows_the_version_and_the_running_daemon()
    {
        var view = IpsecView.Of(With(new IpsecFacts(Swanctl: true, Xfrm: true, CharonRunning: true) { Version = "5.9.8", Kernel = EspKernelSupport.Complete }));

        Assert.Equal(("ready", "strongSwan 5.9.8, daemon running", null), (view.Status, view.Summary, view.Missing));
    }

    [Fact]
    public void A_host_without_strongswan_says_so_and_names_the_packages()
    {
        var facts = new IpsecFacts(Swanctl: false, Xfrm: true, CharonRunning: false) { Kernel = EspKernelSupport.Complete };

        var view = IpsecView.Of(With(facts));

        Assert.Equal(("missing", "strongSwan is not installed", facts.Missing), (view.Status, view.Summary, view.Missing));
        Assert.Contains("apt install strongswan-swanctl charon-systemd", view.Missing);
    }

    [Fact]
    public void A_stopped_daemon_is_shown_with_swanctls_version()
    {
        var view = IpsecView.Of(With(new IpsecFacts(Swanctl: true, Xfrm: true, CharonRunning: false) { Version = "5.9.8", Kernel = EspKernelSupport.Complete }));

        Assert.Equal(("missing", "strongSwan 5.9.8, daemon not running"), (view.Status, view.Summary));
    }
}
