using Superbridge.Core.Observed;

namespace Superbridge.Core.Tests.Observed;

public class BootStateParserTests
{
    [Fact]
    public void A_namespace_host_is_not_persistent_because_it_is_not_in_pid_1s_network_namespace()
    {
        var boot = BootStateParser.Parse(FixtureFiles.Read("boot/namespace-host.txt"), []);

        Assert.Equal(Persistence.None, boot.Persistence);
        Assert.Equal("Superbridge reaches this host in a network namespace other than PID 1's, so no boot unit of the machine recreates it", boot.Reason);
        Assert.Empty(boot.EnabledUnits);
    }

    [Theory]
    [InlineData("pid1=busybox\nsystemd=no\nnetns=same\n", "PID 1 is busybox, not systemd, so nothing recreates a segment at boot")]
    [InlineData("pid1=\nsystemd=no\nnetns=same\n", "PID 1 is unknown, not systemd, so nothing recreates a segment at boot")]
    // systemd installed but not running as init (a container started with another init): /run/systemd/system is missing.
    [InlineData("pid1=systemd\nsystemd=no\nnetns=same\n", "PID 1 is systemd but /run/systemd/system is missing (not booted by systemd), so nothing recreates a segment at boot")]
    public void Without_systemd_as_the_hosts_own_init_nothing_is_persistent(string output, string reason)
    {
        var boot = BootStateParser.Parse(output, []);
        Assert.Equal(Persistence.None, boot.Persistence);
        Assert.Equal(reason, boot.Reason);
    }

    [Fact]
    public void Lines_that_are_not_key_value_or_missing_keys_are_refused_naming_the_probe()
    {
        var bad = Assert.Throws<ObservedParseException>(() => BootStateParser.Parse("pid1 systemd\n", []));
        Assert.Contains("expected key=value, found \"pid1 systemd\"", bad.Message);
        var missing = Assert.Throws<ObservedParseException>(() => BootStateParser.Parse("pid1=systemd\n", []));
        Assert.Contains("expected pid1=, systemd= and netns= lines", missing.Message);
    }
}
