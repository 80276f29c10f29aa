using Superbridge.Core.Mtu;

namespace Superbridge.Core.Tests.Mtu;

public class PathProbeProgramTests
{
    private static readonly UnderlayPath[] Paths =
    [
        new("h1", "h2", "198.51.100.1", "198.51.100.2", 1500),
        new("h1", "h3", "2001:db8::1", "2001:db8::3", 9000),
    ];

    [Fact]
    public void Each_peer_is_probed_in_the_background_between_the_family_minimum_and_the_interface_mtu()
    {
        var script = PathProbeProgram.Build(Paths);
        Assert.Contains("sb_probe 0 -4 28 198.51.100.2 576 1500 &\n", script);
        Assert.Contains("sb_probe 1 -6 48 2001:db8::3 1280 9000 &\n", script);
        Assert.Contains("ping $sb_family -n -q -M do -c 1 -W 1 -s $(( $1 - sb_headers )) \"$sb_remote\"", script);
        Assert.EndsWith("wait\n", script);
    }

    [Fact]
    public void Answers_are_read_by_index_and_a_dropped_or_missing_path_says_why()
    {
        var found = PathProbeProgram.Parse("path 1 none\npath 0 1400\n", 3);
        Assert.Equal((1400, (string?)null), found[0]);
        Assert.Equal((null, "every don't-fragment probe was dropped"), found[1]);
        Assert.Equal((null, "the probe program gave no answer for this path"), found[2]);
    }

    [Fact]
    public void A_ping_that_cannot_set_dont_fragment_fails_every_path_of_the_host()
    {
        var found = PathProbeProgram.Parse("path-probe unsupported\n", 2);
        Assert.All(found, f => Assert.Equal((null, "ping on this host cannot send don't-fragment probes (install iputils-ping)"), f));
    }
}
