using Superbridge.Ssh.Inventory;
using Superbridge.Ssh.Tests.Support;

namespace Superbridge.Ssh.Tests.Inventory;

public sealed class InventoryOutputSplitterTests
{
    private static string Section(string name, string stdout, string stderr, int exit) =>
        $"@@superbridge-section {name}@@\n{stdout}\n@@superbridge-stderr {name}@@\n{stderr}\n@@superbridge-end {name} exit={exit}@@\n";

    private static string Output(params string[] sections) =>
        "@@superbridge-inventory 1@@\n" + string.Concat(sections) + "@@superbridge-done@@\n";

    [Fact]
    public void The_script_is_the_one_the_fixtures_were_captured_with()
    {
        Assert.Equal(InventoryFixtures.Read(InventoryFixtures.Script), InventoryScript.Default);
    }

    [Fact]
    public void Captured_lab_output_splits_into_every_section_in_script_order()
    {
        var output = InventoryOutputSplitter.Split(InventoryFixtures.Read(InventoryFixtures.PlainH1));

        Assert.True(output.IsComplete, output.Problem);
        Assert.Equal(
            [.. InventorySections.Always, "lxc-ls", "lxc-path", "lxc-config h1-c1", "lxc-info h1-c1", "lxc-config h1-c2", "lxc-info h1-c2"],
            output.Sections.Select(s => s.Name));
        Assert.Equal("", output.Preamble);
    }

    [Fact]
    public void Captured_sections_keep_their_stdout_exactly()
    {
        var output = InventoryOutputSplitter.Split(InventoryFixtures.Read(InventoryFixtures.PlainH1));

        Assert.Equal("sblab-h1\n", output.Find("hostname")!.StandardOutput);
        Assert.Equal("6.18.44-fc-v1045\n", output.Find("kernel")!.StandardOutput);
        Assert.Equal("0\n", output.Find("ip-forward")!.StandardOutput);
        Assert.Equal("-P PREROUTING ACCEPT\n-P INPUT ACCEPT\n-P OUTPUT ACCEPT\n-P POSTROUTING ACCEPT\n", output.Find("iptables-nat")!.StandardOutput);
        Assert.Equal("pid1=process_api\nsystemd=no\nnetns=other\n", output.Find("boot")!.StandardOutput);
        Assert.Equal("", output.Find("dnsmasq")!.StandardOutput);
        Assert.StartsWith("[{\"ifindex\":1,\"ifname\":\"lo\"", output.Find("ip-addr")!.StandardOutput);
        Assert.EndsWith("]\n", output.Find("ip-addr")!.StandardOutput);
        Assert.All(output.Sections, s => Assert.Equal(0, s.ExitCode));
    }

    [Fact]
    public void On_a_kernel_without_L2TP_the_script_runs_no_ip_l2tp_and_both_sections_are_empty()
    {
        var output = InventoryOutputSplitter.Split(InventoryFixtures.Read(InventoryFixtures.PlainH1));

        Assert.All(["l2tp-tunnel", "l2tp-session"], name =>
            Assert.Equal(("", "", 0), (output.Find(name)!.StandardOutput, output.Find(name)!.StandardError, output.Find(name)!.ExitCode)));
        Assert.DoesNotContain("Error talking to the kernel", InventoryFixtures.Read(InventoryFixtures.PlainH1));
    }

    [Fact]
    public void A_failed_section_carries_its_exit_status_and_stderr()
    {
        // Captured with an older script, which still ran `ip l2tp` where the kernel has no L2TP.
        var output = InventoryOutputSplitter.Split(InventoryFixtures.Read(InventoryFixtures.BridgeH1));

        var tunnels = output.Find("l2tp-tunnel")!;
        Assert.Equal(1, tunnels.ExitCode);
        Assert.False(tunnels.Succeeded);
        Assert.Equal("", tunnels.StandardOutput);
        Assert.Equal("RTNETLINK answers: No such file or directory\nError talking to the kernel", tunnels.StandardError);
    }

    [Fact]
    public void Nul_bytes_and_output_without_a_final_newline_come_back_byte_exact()
    {
        var output = InventoryOutputSplitter.Split(Output(
            Section("dnsmasq", "42\0dnsmasq\0--interface=br0\0\n", "", 0),
            Section("bare", "no newline at the end", "warning: also none", 3),
            Section("blank-lines", "\n\nx\n\n", "\n", 0)));

        Assert.True(output.IsComplete, output.Problem);
        Assert.Equal("42\0dnsmasq\0--interface=br0\0\n", output.Sections[0].StandardOutput);
        Assert.Equal("no newline at the end", output.Sections[1].StandardOutput);
        Assert.Equal("warning: also none", output.Sections[1].StandardError);
        Assert.Equal(3, output.Sections[1].ExitCode);
        Assert.Equal("\n\nx\n\n", output.Sections[2].StandardOutput);
        Assert.Equal("\n", output.Sections[2].StandardError);
    }

    [Fact]
    public void Empty_output_and_stderr_are_empty_strings()
    {
        var output = InventoryOutputSplitter.Split(Output(Section("quiet", "", "", 0)));

        var quiet = Assert.Single(output.Sections);
        Assert.Equal(new InventorySection("quiet", "", "", 0), quiet);
    }

    [Fact]
    public void A_marker_of_another_section_inside_output_is_not_a_boundary()
    {
        var tricky = "@@superbridge-stderr other@@\n@@superbridge-end other exit=0@@\n@@superbridge-section other@@\n";
        var output = InventoryOutputSplitter.Split(Output(Section("a", tricky, "", 0), Section("b", "x\n", "", 0)));

        Assert.True(output.IsComplete, output.Problem);
        Assert.Equal(["a", "b"], output.Sections.Select(s => s.Name));
        Assert.Equal(tricky, output.Sections[0].StandardOutput);
    }

    [Fact]
    public void A_cut_short_output_keeps_the_sections_read_so_far_and_says_where_it_stopped()
    {
        var full = InventoryFixtures.Read(InventoryFixtures.PlainH1);
        var cut = full[..full.IndexOf("@@superbridge-stderr bridge-fdb@@", StringComparison.Ordinal)];

        var output = InventoryOutputSplitter.Split(cut);

        Assert.False(output.IsComplete);
        Assert.Equal(["hostname", "kernel", "iproute", "features", "ip-addr", "ip-route"], output.Sections.Select(s => s.Name));
        Assert.Equal("section \"bridge-fdb\" has no stderr marker (output cut short inside it?)", output.Problem);
    }

    [Fact]
    public void Output_ending_after_a_section_without_the_done_line_is_incomplete()
    {
        var output = InventoryOutputSplitter.Split("@@superbridge-inventory 1@@\n" + Section("hostname", "h\n", "", 0));

        Assert.False(output.IsComplete);
        Assert.Single(output.Sections);
        Assert.Equal("after section \"hostname\", the output ends without the \"@@superbridge-done@@\" line (cut short?)", output.Problem);
    }

    [Theory]
    [InlineData("", "no \"@@superbridge-inventory 1@@\" line: the inventory script did not start (output begins \"\")")]
    [InlineData("sh: 1: Syntax error: end of file unexpected\n", "no \"@@superbridge-inventory 1@@\" line: the inventory script did not start (output begins \"sh: 1: Syntax error: end of file unexpected\")")]
    public void Output_without_the_header_is_reported_not_thrown(string text, string problem)
    {
        var output = InventoryOutputSplitter.Split(text);

        Assert.False(output.IsComplete);
        Assert.Empty(output.Sections);
        Assert.Equal(problem, output.Problem);
    }

    [Fact]
    public void Text_between_sections_is_reported_with_what_was_found()
    {
        var output = InventoryOutputSplitter.Split("@@superbridge-inventory 1@@\n" + Section("a", "", "", 0) + "stray line\n@@superbridge-done@@\n");

        Assert.False(output.IsComplete);
        Assert.Equal("after section \"a\", expected a section marker, found \"stray line\"", output.Problem);
    }

    [Fact]
    public void A_login_greeting_before_the_header_is_kept_apart()
    {
        var output = InventoryOutputSplitter.Split("Welcome to host\n" + Output(Section("a", "1\n", "", 0)));

        Assert.True(output.IsComplete, output.Problem);
        Assert.Equal("Welcome to host\n", output.Preamble);
        Assert.Equal("1\n", output.Sections[0].StandardOutput);
    }

    [Fact]
    public void A_malformed_exit_status_is_reported()
    {
        var output = InventoryOutputSplitter.Split(Output(Section("a", "1\n", "", 0)).Replace("exit=0", "exit=zero"));

        Assert.False(output.IsComplete);
        Assert.StartsWith("section \"a\" has a malformed end marker", output.Problem);
    }

    [Theory]
    [InlineData("dash")]
    [InlineData("busybox")]
    public void The_script_runs_under_dash_and_busybox_sh_and_splits_back(string shell)
    {
        // Runs here, on the test machine's own state: read-only commands, no network traffic.
        var (exit, stdout, stderr) = shell == "busybox"
            ? Shell.TryRunWithInput(InventoryScript.Default, "busybox", "sh", "-s")
            : Shell.TryRunWithInput(InventoryScript.Default, "dash", "-s");

        Assert.True(exit == 0, stderr);
        var output = InventoryOutputSplitter.Split(stdout);
        Assert.True(output.IsComplete, output.Problem);
        Assert.Equal(InventorySections.Always, output.Sections.Take(InventorySections.Always.Count).Select(s => s.Name));
        Assert.Equal(Environment.MachineName, output.Find("hostname")!.StandardOutput.Trim());
    }

    [Fact]
    public void The_script_passes_through_ansible_templating_unchanged()
    {
        // The bench sends it as `ansible -m shell -a SCRIPT`, which renders Jinja2 markers.
        Assert.DoesNotContain("{{", InventoryScript.Default);
        Assert.DoesNotContain("{%", InventoryScript.Default);
        Assert.DoesNotContain("{#", InventoryScript.Default);
    }

    [Fact]
    public void A_configured_lxcpath_is_quoted_and_passed_to_every_lxc_command()
    {
        var script = InventoryScript.Build("/srv/lxc containers");

        Assert.Contains("sb_section lxc-ls lxc-ls -P '/srv/lxc containers' -f -F NAME,STATE,IPV4,AUTOSTART\n", script);
        Assert.Contains("sb_lxcpath='/srv/lxc containers'\n", script);
        Assert.Contains("for sb_f in \"$sb_lxcpath\"/*/config; do\n", script);
        Assert.Contains("lxc-info -P '/srv/lxc containers' -n \"$sb_c\"", script);
        Assert.Throws<ArgumentException>(() => InventoryScript.Build("/srv/a\nb"));
    }

    [Fact]
    public void Containers_are_the_config_files_in_the_lxcpath_read_byte_for_byte_without_cat()
    {
        // Runs here, with a scratch lxcpath: two containers, a folder without a config (not a container), a config without a final newline.
        Assert.True(Shell.TryRun("sh", "-c", "command -v lxc-ls").Exit == 0, "lxc-ls is not installed here (lab/up installs it)");
        var lxcPath = Directory.CreateTempSubdirectory("sbinv-lxcpath ");
        try
        {
            Directory.CreateDirectory(Path.Combine(lxcPath.FullName, "c1"));
            Directory.CreateDirectory(Path.Combine(lxcPath.FullName, "c2 b"));
            Directory.CreateDirectory(Path.Combine(lxcPath.FullName, "rootfs-only"));
            File.WriteAllText(Path.Combine(lxcPath.FullName, "c1", "config"), "# comment \\ kept\n  lxc.net.0.link = br0\n\nlxc.uts.name = c1\n");
            File.WriteAllText(Path.Combine(lxcPath.FullName, "c2 b", "config"), "lxc.uts.name = c2");

            var (exit, stdout, stderr) = Shell.TryRunWithInput(InventoryScript.Build(lxcPath.FullName), "dash", "-s");

            Assert.True(exit == 0, stderr);
            var output = InventoryOutputSplitter.Split(stdout);
            Assert.True(output.IsComplete, output.Problem);
            Assert.Equal(["lxc-config c1", "lxc-info c1", "lxc-config c2 b", "lxc-info c2 b"],
                output.Sections.Select(s => s.Name).Where(n => n.StartsWith("lxc-config ", StringComparison.Ordinal) || n.StartsWith("lxc-info ", StringComparison.Ordinal)));
            Assert.Equal("# comment \\ kept\n  lxc.net.0.link = br0\n\nlxc.uts.name = c1\n", output.Find("lxc-config c1")!.StandardOutput);
            Assert.Equal("lxc.uts.name = c2\n", output.Find("lxc-config c2 b")!.StandardOutput);
        }
        finally
        {
            lxcPath.Delete(recursive: true);
        }
    }
}
