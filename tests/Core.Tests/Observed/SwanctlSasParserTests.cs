using Superbridge.Core.Observed;

namespace Superbridge.Core.Tests.Observed;

public class SwanctlSasParserTests
{
    private const string Connection = "blue-f6ea5140";

    private static string Fixture(string name) => FixtureFiles.Read("swanctl-list-sas/" + name);

    [Fact]
    public void An_established_vxlan_pair_has_its_ike_sa_times_and_both_children_with_traffic_each_way()
    {
        var ike = Assert.Single(SwanctlSasParser.Parse(Fixture("vm1-established.txt")));

        Assert.Equal((Connection, "ESTABLISHED", true, "198.51.100.211", "198.51.100.212"), (ike.Name, ike.State, ike.IsEstablished, ike.LocalHost, ike.RemoteHost));
        Assert.Equal((16L, 13332L, (long?)null, (long?)null), (ike.EstablishedSecondsAgo, ike.RekeyInSeconds, ike.ReauthInSeconds, ike.ExpiresInSeconds));
        Assert.Equal<ObservedChildSa>(
        [
            new ObservedChildSa { Name = Connection + "-out", State = "INSTALLED", InstalledSecondsAgo = 19, RekeyInSeconds = 3250, ExpiresInSeconds = 3946,
                In = new(0, 0, null), Out = new(540, 5, 7) },
            new ObservedChildSa { Name = Connection + "-in", State = "INSTALLED", InstalledSecondsAgo = 13, RekeyInSeconds = 3456, ExpiresInSeconds = 3947,
                In = new(624, 3, 5), Out = new(0, 0, null) },
        ], ike.Children);
    }

    [Fact]
    public void An_ike_sa_still_connecting_has_no_established_time_and_no_children()
    {
        var ike = Assert.Single(SwanctlSasParser.Parse(Fixture("vm1-connecting.txt")));

        Assert.Equal(("CONNECTING", false, (long?)null, (long?)null), (ike.State, ike.IsEstablished, ike.EstablishedSecondsAgo, ike.RekeyInSeconds));
        Assert.Empty(ike.Children);
    }

    [Fact]
    public void Reauth_and_expiry_are_read_when_the_connection_has_them()
    {
        var text = Fixture("vm1-established.txt").Replace(
            "  established 16s ago, rekeying in 13332s\n", "  established 16s ago, reauth in 9000s, expires in 9900s\n");

        var ike = Assert.Single(SwanctlSasParser.Parse(text));

        Assert.Equal(((long?)null, 9000L, 9900L), (ike.RekeyInSeconds, ike.ReauthInSeconds, ike.ExpiresInSeconds));
    }

    [Fact]
    public void A_child_sa_not_in_the_kernel_has_no_values_where_swanctl_prints_null()
    {
        // list_sas.c prints every field; charon sends none of the ESP ones for a CHILD SA in CREATED/ROUTED/INSTALLING, and glibc writes "(null)".
        var text = Fixture("vm1-established.txt")
            .Replace("#3, reqid 1, INSTALLED, TRANSPORT, ESP:AES_GCM_16-256", "#3, reqid 1, INSTALLING, TRANSPORT, (null):")
            .Replace("    installed 19s ago, rekeying in 3250s, expires in 3946s\n    in  c3b78899,      0 bytes,     0 packets\n    out c98e3602,    540 bytes,     5 packets,     7s ago\n",
                "    installed (null)s ago\n    in  (null), (null) bytes, (null) packets\n    out (null), (null) bytes, (null) packets\n");

        var child = SwanctlSasParser.Parse(text).Single().Children[0];

        Assert.Equal(new ObservedChildSa { Name = Connection + "-out", State = "INSTALLING" }, child);
        Assert.False(child.IsInstalled);
    }

    [Fact]
    public void Charon_with_no_sas_prints_nothing_which_is_no_sas()
    {
        Assert.Empty(SwanctlSasParser.Parse(Fixture("sandbox-no-charon.txt")));
    }

    [Fact]
    public void Charon_running_with_no_sa_yet_prints_nothing()
    {
        Assert.Empty(SwanctlSasParser.Parse(Fixture("vm1-no-sas.txt")));
    }

    [Fact]
    public void A_stopped_charon_refuses_the_connection_and_that_too_is_charon_not_running()
    {
        Assert.Equal("111", Fixture("vm2-charon-stopped.exit").Trim()); // ECONNREFUSED
        Assert.True(SwanctlSasParser.IsCharonNotRunning(Fixture("vm2-charon-stopped.stderr")));
        Assert.Empty(SwanctlSasParser.Parse(Fixture("vm2-charon-stopped.txt")));
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
    [InlineData("  established 16s ago, rekeying in 13332s\n", "  established soon\n", "line 5 (\"  established soon\"): expected an IKE SA line")]
    [InlineData("    out c98e3602,    540 bytes,     5 packets,     7s ago\n", "    out c98e3602, many bytes\n", "line 9 (\"    out c98e3602, many bytes\"): expected a CHILD SA line")]
    [InlineData(Connection + ": #2, ESTABLISHED, IKEv2, db9794cf8ed3feef_i* 68a40a7a72f90bf1_r\n", "", "line 1 (\"  local  '198.51.100.211' @ 198.51.100.211[4500]\"): expected an IKE SA header")]
    public void A_line_swanctl_does_not_print_is_refused_naming_the_line(string line, string replacement, string problem)
    {
        var text = Fixture("vm1-established.txt").Replace(line, replacement);

        var error = Assert.Throws<ObservedParseException>(() => SwanctlSasParser.Parse(text));

        Assert.Equal(nameof(SwanctlSasParser), error.Parser);
        Assert.StartsWith(problem, error.Problem);
    }
}
