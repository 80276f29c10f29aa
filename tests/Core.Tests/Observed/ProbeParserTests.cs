using Superbridge.Core.Observed;

namespace Superbridge.Core.Tests.Observed;

public class DnsmasqProcessParserTests
{
    [Fact]
    public void Probe_script_is_the_one_the_fixture_was_captured_with()
    {
        Assert.Equal(DnsmasqProcessParser.ProbeScript, FixtureFiles.Read("dnsmasq-cmdline/probe.sh"));
    }

    [Fact]
    public void The_probe_lists_the_dnsmasq_of_its_own_network_namespace()
    {
        // Lab host h1 with one dnsmasq; the capture script checks that h2 (same /proc, another namespace) lists none.
        var process = Assert.Single(DnsmasqProcessParser.Parse(FixtureFiles.Read("dnsmasq-cmdline/lab-h1-port0.bin")));

        Assert.Equal(11035, process.Pid);
        Assert.Equal("lo", process.Interface);
        Assert.Equal("/run/sblab/sbcap-dnsmasq.pid", process.PidFile);
        Assert.Equal<string>(["dnsmasq", "--port=0", "--interface=lo", "--bind-interfaces", "--pid-file=/run/sblab/sbcap-dnsmasq.pid", "--conf-file=/dev/null"], process.Arguments);
    }

    [Fact]
    public void Long_option_instance_reports_interface_and_pid_file()
    {
        var first = DnsmasqProcessParser.Parse(FixtureFiles.Read("dnsmasq-cmdline/two-instances.bin"))[0];

        Assert.Equal(9698, first.Pid);
        Assert.Equal("sbcap-br0", first.Interface);
        Assert.Equal("/tmp/sbcap-dnsmasq-br0.pid", first.PidFile);
        Assert.Equal("dnsmasq", first.Arguments[0]);
        Assert.Contains("--dhcp-range=10.77.0.50,10.77.0.99,12h", first.Arguments);
        Assert.Equal(9, first.Arguments.Length);
    }

    [Fact]
    public void Short_option_instance_reports_interface_and_pid_file()
    {
        var second = DnsmasqProcessParser.Parse(FixtureFiles.Read("dnsmasq-cmdline/two-instances.bin"))[1];

        Assert.Equal(9701, second.Pid);
        Assert.Equal("sbcap-br1", second.Interface);
        Assert.Equal("/tmp/sbcap-dnsmasq-br1.pid", second.PidFile);
        Assert.Equal(["dnsmasq", "-i", "sbcap-br1", "-z", "-R", "-F", "10.78.0.50,10.78.0.99,1h", "-x", "/tmp/sbcap-dnsmasq-br1.pid", "-l", "/tmp/sbcap-dnsmasq-br1.leases", "-C", "/dev/null"], second.Arguments.ToArray());
    }

    [Fact]
    public void Zombie_with_empty_cmdline_is_skipped()
    {
        var processes = DnsmasqProcessParser.Parse("9697\0\n9698\0dnsmasq\0--interface=br0\0\n");

        Assert.Equal([9698], processes.Select(p => p.Pid).ToArray());
    }

    [Fact]
    public void No_dnsmasq_running_prints_nothing_and_parses_to_empty()
    {
        Assert.Empty(DnsmasqProcessParser.Parse(""));
    }

    [Theory]
    [InlineData(new[] { "dnsmasq", "--interface", "br9", "--pid-file", "/run/x.pid" }, "br9", "/run/x.pid")]
    [InlineData(new[] { "dnsmasq", "-ibr9", "-x/run/x.pid" }, "br9", "/run/x.pid")]
    [InlineData(new[] { "/usr/sbin/dnsmasq", "--interface=br9,br10" }, "br9", null)]
    [InlineData(new[] { "dnsmasq", "--conf-file=/etc/superbridge/seg.conf" }, null, null)]
    public void Interface_and_pid_file_are_read_in_every_getopt_form(string[] argv, string? iface, string? pidFile)
    {
        var process = DnsmasqProcessParser.FromArgv(1, [.. argv]);

        Assert.Equal(iface, process.Interface);
        Assert.Equal(pidFile, process.PidFile);
    }

    [Theory]
    [InlineData("9698\0dnsmasq\0--interface=br0", "record 1 (pid 9698): truncated inside argument 1")]
    [InlineData("9698\0dnsmasq\0", "record 1 (pid 9698): truncated, no newline after the arguments")]
    [InlineData("  PID COMMAND\n", "record 1: expected \"PID\\0\" at the start, found \"  PID COMMAND\\n\"")]
    [InlineData("abc\0dnsmasq\0\n", "record 1: pid \"abc\" is not a number")]
    public void Malformed_probe_output_is_rejected_with_the_record(string output, string problem)
    {
        var error = Assert.Throws<ObservedParseException>(() => DnsmasqProcessParser.Parse(output));

        Assert.Equal($"DnsmasqProcessParser: cannot read `dnsmasq /proc/PID/cmdline probe` output: {problem}", error.Message);
    }
}

public class KernelFeatureProbeParserTests
{
    [Fact]
    public void Probe_script_is_the_one_the_fixture_was_captured_with()
    {
        Assert.Equal(KernelFeatureProbeParser.ProbeScript, FixtureFiles.Read("kernel-features/probe.sh"));
    }

    [Fact]
    public void Sandbox_kernel_has_vxlan_and_bridge_but_no_gretap_or_l2tp()
    {
        var probe = KernelFeatureProbeParser.Parse(FixtureFiles.Read("kernel-features/sandbox-builtin-vxlan-no-gre-no-l2tp.txt"));

        Assert.Equal(new KernelFeatures(Gretap: false, L2tpv3: false, L2tpIp: false, Vxlan: true, Bridge: true, Lxc: true), probe.Features);
    }

    [Fact]
    public void Each_line_keeps_how_the_answer_was_found()
    {
        var probe = KernelFeatureProbeParser.Parse(FixtureFiles.Read("kernel-features/sandbox-builtin-vxlan-no-gre-no-l2tp.txt"));

        Assert.Contains(new KernelFeatureLine("gretap", "no", "config-unset"), probe.Lines);
        Assert.Contains(new KernelFeatureLine("vxlan", "yes", "loaded"), probe.Lines);
        Assert.Contains(new KernelFeatureLine("lxc", "yes", "command"), probe.Lines);
    }

    [Fact]
    public void Unknown_answers_count_as_unavailable_and_unknown_features_are_ignored()
    {
        var probe = KernelFeatureProbeParser.Parse(
            "feature gretap yes module\nfeature l2tpv3 unknown no-kernel-info\nfeature l2tp_ip yes builtin\n" +
            "feature vxlan yes config-builtin\nfeature bridge yes loaded\nfeature lxc no command\nfeature wireguard yes loaded\n");

        Assert.Equal(new KernelFeatures(true, false, true, true, true, false), probe.Features);
    }

    [Fact]
    public void Output_cut_short_is_rejected_naming_the_missing_features()
    {
        var error = Assert.Throws<ObservedParseException>(() => KernelFeatureProbeParser.Parse("feature gretap no config-unset\nfeature l2tpv3 no config-unset\n"));

        Assert.Equal("KernelFeatureProbeParser: cannot read `kernel feature probe` output: no line for l2tp_ip, vxlan, bridge, lxc (output cut short?)", error.Message);
    }

    [Fact]
    public void Stray_line_is_rejected_with_its_number()
    {
        var error = Assert.Throws<ObservedParseException>(() => KernelFeatureProbeParser.Parse("feature gretap no config-unset\nsh: 1: zcat: not found\n"));

        Assert.Contains("line 2: expected \"feature NAME yes|no|unknown HOW\", found \"sh: 1: zcat: not found\"", error.Message);
    }
}

public class SystemInfoParserTests
{
    [Fact]
    public void Ip_forward_reads_the_sysctl_value()
    {
        Assert.Equal("0", SystemInfoParser.IpForward(FixtureFiles.Read("sysctl/ip-forward-off.txt")));
        Assert.Equal("1", SystemInfoParser.IpForward(FixtureFiles.Read("sysctl/ip-forward-on.txt")));
    }

    [Fact]
    public void Kernel_release_is_the_trimmed_uname_line()
    {
        Assert.Equal("6.18.44-fc-v595", SystemInfoParser.KernelRelease(FixtureFiles.Read("uname/release.txt")));
    }

    [Theory]
    [InlineData("ip utility, iproute2-6.1.0, libbpf 1.1.2\n", "6.1.0")]
    [InlineData("ip utility, iproute2-ss200127\n", "ss200127")]
    [InlineData("ip utility, iproute2-5.15.0, libbpf 0.5.0\n", "5.15.0")]
    [InlineData("ip utility, iproute2-6.14.0\n", "6.14.0")]
    public void Iproute_version_is_taken_from_ip_dash_v(string output, string expected)
    {
        Assert.Equal(expected, SystemInfoParser.IprouteVersion(output));
    }

    [Fact]
    public void Iproute_version_of_the_captured_ip_dash_v()
    {
        Assert.Equal("6.1.0", SystemInfoParser.IprouteVersion(FixtureFiles.Read("ip-version/iproute2-6.1.0.txt")));
    }

    [Theory]
    [InlineData("")]
    [InlineData("sysctl: cannot stat /proc/sys/net/ipv4/ip_forward: No such file or directory")]
    [InlineData("2")]
    public void Ip_forward_other_than_0_or_1_is_rejected(string output)
    {
        var error = Assert.Throws<ObservedParseException>(() => SystemInfoParser.IpForward(output));

        Assert.StartsWith("SystemInfoParser: cannot read `sysctl -n net.ipv4.ip_forward` output: expected 0 or 1", error.Message);
    }

    [Fact]
    public void Bridge_dash_v_is_not_mistaken_for_an_iproute_version()
    {
        var error = Assert.Throws<ObservedParseException>(() => SystemInfoParser.IprouteVersion(FixtureFiles.Read("ip-version/bridge-6.1.0.txt")));

        Assert.Contains("SystemInfoParser", error.Message);
        Assert.Contains("no \"iproute2-VERSION\"", error.Message);
    }
}
