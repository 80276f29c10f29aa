using Superbridge.Core.Observed;

namespace Superbridge.Core.Tests.Observed;

public class LxcLsParserTests
{
    [Fact]
    public void Lxc_ls_fancy_lists_multiple_ipv4_addresses()
    {
        var containers = LxcLsParser.Parse(FixtureFiles.Read("lxc-ls/fancy-three-containers.txt"));

        Assert.Equal(["10.77.0.200", "10.77.0.65"], containers.Single(c => c.Name == "sbcap-c1").Ipv4.ToArray());
    }

    [Fact]
    public void Lxc_ls_fancy_reads_state_autostart_and_none_marker()
    {
        var containers = LxcLsParser.Parse(FixtureFiles.Read("lxc-ls/fancy-three-containers.txt")).ToDictionary(c => c.Name);

        Assert.Equal(["sbcap-c1", "sbcap-c2", "sbcap-c3"], containers.Keys.ToArray());
        Assert.Equal("RUNNING", containers["sbcap-c1"].State);
        Assert.True(containers["sbcap-c1"].Autostart);
        Assert.Equal("STOPPED", containers["sbcap-c2"].State);
        Assert.False(containers["sbcap-c2"].Autostart);
        Assert.Empty(containers["sbcap-c2"].Ipv4);
        Assert.Equal(["10.78.0.77"], containers["sbcap-c3"].Ipv4.ToArray());
    }

    [Fact]
    public void Lxc_ls_selected_columns_give_the_same_containers_as_the_default_table()
    {
        var selected = LxcLsParser.Parse(FixtureFiles.Read("lxc-ls/fancy-selected-columns.txt"));
        var full = LxcLsParser.Parse(FixtureFiles.Read("lxc-ls/fancy-three-containers.txt"));

        Assert.Equal(full.Select(Describe), selected.Select(Describe));
    }

    [Fact]
    public void Lxc_ls_without_containers_prints_nothing_and_parses_to_empty()
    {
        Assert.Empty(LxcLsParser.Parse(FixtureFiles.Read("lxc-ls/fancy-no-containers.txt")));
    }

    [Fact]
    public void Lxc_ls_header_without_name_column_is_rejected()
    {
        var error = Assert.Throws<ObservedParseException>(() => LxcLsParser.Parse("sbcap-c1 doesn't exist\n"));

        Assert.Equal("LxcLsParser: cannot read `lxc-ls -f` output: line 1: header has no NAME column: \"sbcap-c1 doesn't exist\"", error.Message);
    }

    [Fact]
    public void Lxc_ls_autostart_other_than_0_or_1_is_rejected_naming_the_container()
    {
        var error = Assert.Throws<ObservedParseException>(() => LxcLsParser.Parse("NAME STATE   AUTOSTART\nweb  RUNNING yes\n"));

        Assert.Contains("line 2 (web): AUTOSTART is \"yes\"", error.Message);
    }

    private static string Describe(ObservedContainer c) => $"{c.Name} {c.State} {string.Join(",", c.Ipv4)} {c.Autostart}";
}

public class LxcInfoParserTests
{
    [Fact]
    public void Running_container_reports_pid_addresses_and_host_veth()
    {
        var info = LxcInfoParser.Parse(FixtureFiles.Read("lxc-info/running-two-ipv4.txt"));

        Assert.Equal("sbcap-c1", info.Name);
        Assert.Equal("RUNNING", info.State);
        Assert.Equal(9175, info.Pid);
        Assert.Equal(["10.77.0.200", "10.77.0.65"], info.Addresses.ToArray());
        Assert.Equal(["sbcap-c1v"], info.Links.ToArray());
    }

    [Fact]
    public void Lxc_chosen_veth_name_and_ipv6_are_read()
    {
        var info = LxcInfoParser.Parse(FixtureFiles.Read("lxc-info/running-ipv6.txt"));

        Assert.Equal(["vethh0GgKy"], info.Links.ToArray());
        Assert.Equal(["10.78.0.77", "fd00:77::5"], info.Addresses.ToArray());
        Assert.Equal(["10.78.0.77"], info.Ipv4.ToArray());
    }

    [Fact]
    public void Stopped_container_has_no_pid_and_no_link()
    {
        var info = LxcInfoParser.Parse(FixtureFiles.Read("lxc-info/stopped.txt"));

        Assert.Equal("STOPPED", info.State);
        Assert.Null(info.Pid);
        Assert.Empty(info.Links);
        Assert.Empty(info.Addresses);
    }

    [Fact]
    public void Info_fills_host_veth_of_the_listed_container()
    {
        var listed = LxcLsParser.Parse(FixtureFiles.Read("lxc-ls/fancy-selected-columns.txt")).Single(c => c.Name == "sbcap-c3");

        var merged = LxcInfoParser.Parse(FixtureFiles.Read("lxc-info/running-ipv6.txt")).ApplyTo(listed);

        Assert.Equal("vethh0GgKy", merged.HostVeth);
        Assert.Equal(["10.78.0.77"], merged.Ipv4.ToArray());
    }

    [Fact]
    public void Missing_container_message_is_rejected_as_not_an_info_listing()
    {
        var error = Assert.Throws<ObservedParseException>(() => LxcInfoParser.Parse("sbcap-nope doesn't exist\n"));

        Assert.Equal("LxcInfoParser: cannot read `lxc-info -n NAME` output: line 1: expected \"Key: value\", found \"sbcap-nope doesn't exist\"", error.Message);
    }
}

public class LxcConfigParserTests
{
    [Fact]
    public void Configured_link_of_the_busybox_template_is_lxcbr0()
    {
        Assert.Equal("lxcbr0", LxcConfigParser.ConfiguredLink(FixtureFiles.Read("lxc-config/busybox-template-default.conf")));
    }

    [Fact]
    public void Configured_link_follows_the_edited_config()
    {
        Assert.Equal("sbcap-br0", LxcConfigParser.ConfiguredLink(FixtureFiles.Read("lxc-config/edited-link-and-autostart.conf")));
        Assert.Equal("sbcap-br1", LxcConfigParser.ConfiguredLink(FixtureFiles.Read("lxc-config/group-set.conf")));
    }

    [Fact]
    public void Config_entries_skip_comments_and_keep_values_verbatim()
    {
        var entries = LxcConfigParser.Entries(FixtureFiles.Read("lxc-config/edited-link-and-autostart.conf")).ToList();

        Assert.Contains(("lxc.net.0.veth.pair", "sbcap-c1v"), entries);
        Assert.Contains(("lxc.start.auto", "1"), entries);
        Assert.Contains(("lxc.uts.name", "\"sbcap-c1\""), entries);
        Assert.DoesNotContain(entries, e => e.Key.StartsWith('#'));
    }

    [Theory]
    [InlineData("lxc.net.0.type = veth\n", null)]
    [InlineData("lxc.net.0.link = a\nlxc.net.0.link = b\n", "b")]
    [InlineData("lxc.net.1.link = second\nlxc.net.0.link = first\n", "first")]
    [InlineData("lxc.network.type = veth\nlxc.network.link = legacybr\n", "legacybr")]
    [InlineData("lxc.net.0.link =\n", null)]
    public void Configured_link_is_the_last_lxc_net_0_link_or_the_legacy_key(string config, string? expected)
    {
        Assert.Equal(expected, LxcConfigParser.ConfiguredLink(config));
    }

    [Fact]
    public void Config_line_without_equals_is_rejected_with_its_line()
    {
        var error = Assert.Throws<ObservedParseException>(() => LxcConfigParser.ConfiguredLink("# ok\nlxc.net.0.link sbcap-br0\n"));

        Assert.Equal("LxcConfigParser: cannot read `cat CONTAINER/config` output: line 2: expected \"key = value\", found \"lxc.net.0.link sbcap-br0\"", error.Message);
    }

    [Fact]
    public void Every_network_of_a_config_is_listed_by_index_with_its_bridge_and_name()
    {
        var nics = LxcConfigParser.Interfaces(FixtureFiles.Read("lxc-config/two-nics.conf"));

        Assert.Equal<ContainerInterface>([new(0, "veth", "lxcbr0", "eth0"), new(1, "veth", "superbr0", "eth1")], nics);
    }

    [Fact]
    public void The_busybox_template_config_has_one_network_on_the_bridge_it_was_given()
    {
        var nic = Assert.Single(LxcConfigParser.Interfaces(FixtureFiles.Read("lxc-config/edited-link-and-autostart.conf")));

        Assert.Equal(new ContainerInterface(0, "veth", "sbcap-br0", null), nic);
    }
}
