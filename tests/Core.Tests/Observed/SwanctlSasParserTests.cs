using Superbridge.Core.Observed;

namespace Superbridge.Core.Tests.Observed;

public class SwanctlSasParserTests
{
    private const string Connection = "blue.f6ea5140";

    private static string Fixture(string name) => FixtureFiles.Read("swanctl-list-sas/" + name);

    [Fact]
    public void An_established_vxlan_pair_has_its_ike_sa_times_and_both_children_with_traffic_each_way()
    {
        var ike = Assert.Single(SwanctlSasParser.Parse(Fixture("composed-vm1-established.txt")));

        Assert.Equal((Connection, "ESTABLISHED", true, "198.51.100.211", "198.51.100.212"), (ike.Name, ike.State, ike.IsEstablished, ike.LocalHost, ike.RemoteHost));
        Assert.Equal((125L, 13982L, (long?)null, (long?)null), (ike.EstablishedSecondsAgo, ike.RekeyInSeconds, ike.ReauthInSeconds, ike.ExpiresInSeconds));
        Assert.Equal<ObservedChildSa>(
        [
            new ObservedChildSa { Name = Connection + ".out", State = "INSTALLED", InstalledSecondsAgo = 120, RekeyInSeconds = 3105, ExpiresInSeconds = 3840,
                In = new(0, 0, null), Out = new(640, 5, 11) },
            new ObservedChildSa { Name = Connection + ".in", State = "INSTALLED", InstalledSecondsAgo = 118, RekeyInSeconds = 3210, ExpiresInSeconds = 3842,
                In = new(684, 3, 9), Out = new(0, 0, null) },
        ], ike.Children);
    }

    [Fact]
    public void An_ike_sa_still_connecting_has_no_established_time_and_no_children()
    {
        var ike = Assert.Single(SwanctlSasParser.Parse(Fixture("composed-vm1-connecting.txt")));

        Assert.Equal(("CONNECTING", false, (long?)null, (long?)null), (ike.State, ike.IsEstablished, ike.EstablishedSecondsAgo, ike.RekeyInSeconds));
        Assert.Empty(ike.Children);
    }

    [Fact]
    public void Reauth_and_expiry_are_read_when_the_connection_has_them()
    {
        var text = Fixture("composed-vm1-established.txt").Replace(
            "  established 125s ago, rekeying in 13982s\n", "  established 125s ago, reauth in 9000s, expires in 9900s\n");

        var ike = Assert.Single(SwanctlSasParser.Parse(text));

        Assert.Equal(((long?)null, 9000L, 9900L), (ike.RekeyInSeconds, ike.ReauthInSeconds, ike.ExpiresInSeconds));
    }

    [Fact]
    public void A_child_sa_not_in_the_kernel_has_no_values_where_swanctl_prints_null()
    {
        // list_sas.c prints every field; charon sends none of the ESP ones for a CHILD SA in CREATED/ROUTED/INSTALLING, and glibc writes "(null)".
        var text = Fixture("composed-vm1-established.txt")
            .Replace("#3, reqid 1, INSTALLED, TRANSPORT, ESP:AES_GCM_16-256", "#3, reqid 1, INSTALLING, TRANSPORT, (null):")
            .Replace("    installed 120s ago, rekeying in 3105s, expires in 3840s\n    in  c8e1a3f2,      0 bytes,     0 packets\n    out c51d9b07,    640 bytes,     5 packets,    11s ago\n",
                "    installed (null)s ago\n    in  (null), (null) bytes, (null) packets\n    out (null), (null) bytes, (null) packets\n");

        var child = SwanctlSasParser.Parse(text).Single().Children[0];

        Assert.Equal(new ObservedChildSa { Name = Connection + ".out", State = "INSTALLING" }, child);
        Assert.False(child.IsInstalled);
    }

    [Fact]
    public void Charon_with_no_sas_prints_nothing_which_is_no_sas()
    {
        Assert.Empty(SwanctlSasParser.Parse(Fixture("sandbox-no-charon.txt")));
    }

    [Fact]
    public void Swanctl_without_charon_says_it_cannot_connect_and_only_that_is_charon_not_running()
    {
        var stderr = Fixture("sandbox-no-charon.stderr");

        Assert.Equal("2", Fixture("sandbox-no-charon.exit").Trim());
        Assert.True(SwanctlSasParser.IsCharonNotRunning(stderr));
        Assert.True(SwanctlSasParser.IsCharonNotRunning(stderr.Replace("No such file or directory", "Connection refused")));
        Assert.False(SwanctlSasParser.IsCharonNotRunning(stderr.Replace("No such file or directory", "Permission denied")));
    }

    [Theory]
    [InlineData("  established 125s ago, rekeying in 13982s\n", "  established soon\n", "line 5 (\"  established soon\"): expected an IKE SA line")]
    [InlineData("    out c51d9b07,    640 bytes,     5 packets,    11s ago\n", "    out c51d9b07, many bytes\n", "line 9 (\"    out c51d9b07, many bytes\"): expected a CHILD SA line")]
    [InlineData(Connection + ": #2, ESTABLISHED, IKEv2, 1c5e0a9b3f7d2e41_i* 8a2b4c6d0e1f3a57_r\n", "", "line 1 (\"  local  '198.51.100.211' @ 198.51.100.211[500]\"): expected an IKE SA header")]
    public void A_line_swanctl_does_not_print_is_refused_naming_the_line(string line, string replacement, string problem)
    {
        var text = Fixture("composed-vm1-established.txt").Replace(line, replacement);

        var error = Assert.Throws<ObservedParseException>(() => SwanctlSasParser.Parse(text));

        Assert.Equal(nameof(SwanctlSasParser), error.Parser);
        Assert.StartsWith(problem, error.Problem);
    }
}
