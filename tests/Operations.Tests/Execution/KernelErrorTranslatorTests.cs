using Superbridge.Core.Commands;
using Superbridge.Core.Model;
using Superbridge.Operations;

namespace Superbridge.Operations.Tests.Execution;

/// <summary>The stderr texts are what iproute2 6.1 and bash printed on the lab hosts (kernel 6.18 without GRE and L2TP).</summary>
public sealed class KernelErrorTranslatorTests
{
    private static readonly HostId Host = new("sblab-h2");

    [Fact]
    public void Unknown_device_type_for_gretap_names_the_host_the_module_and_the_fix()
    {
        var command = LinuxCommands.GretapAdd("sbg-lan-0", "gretap", "198.51.100.2", "198.51.100.1", 5);

        var explained = KernelErrorTranslator.Translate(Host, command, "Error: Unknown device type.\n", 2);

        Assert.Equal("host sblab-h2 cannot create gretap devices: kernel module ip_gre is missing (install linux-modules-extra / a kernel with CONFIG_NET_IPGRE; `modprobe ip_gre`)", explained!.Message);
        Assert.Equal("Error: Unknown device type.", explained.Original);
        Assert.Equal(KernelModule.Gretap, explained.MissingModule);
    }

    [Theory]
    [InlineData("ip6gretap", "ip6_gre")]
    [InlineData("vxlan", "vxlan")]
    [InlineData("bridge", "bridge")]
    public void Unknown_device_type_maps_each_link_kind_to_its_module(string kind, string module)
    {
        var command = Command.Of("ip", "link", "add", "x0", "type", kind);

        Assert.Equal(module, KernelErrorTranslator.Translate(Host, command, "Error: Unknown device type.")!.MissingModule!.Module);
    }

    [Fact]
    public void Operation_not_supported_on_link_add_is_a_missing_module_too()
    {
        var command = LinuxCommands.GretapAdd("sbg-lan-0", "gretap", "198.51.100.2", "198.51.100.1", 5);

        var explained = KernelErrorTranslator.Translate(Host, command, "RTNETLINK answers: Operation not supported\n", 2);

        Assert.Equal(KernelModule.Gretap, explained!.MissingModule);
        Assert.Equal("RTNETLINK answers: Operation not supported", explained.Original);
    }

    [Fact]
    public void Error_talking_to_the_kernel_on_an_l2tp_tunnel_means_the_l2tp_modules_are_absent()
    {
        var command = LinuxCommands.L2tpTunnelAdd(1, 2, "198.51.100.2", "198.51.100.1", 5000, 5000);

        var explained = KernelErrorTranslator.Translate(Host, command, "RTNETLINK answers: No such file or directory\nError talking to the kernel\n");

        Assert.Equal("host sblab-h2 cannot create L2TPv3 tunnels: kernel module l2tp_netlink is missing (install linux-modules-extra / a kernel with CONFIG_L2TP; `modprobe l2tp_netlink`)", explained!.Message);
        Assert.Equal("RTNETLINK answers: No such file or directory | Error talking to the kernel", explained.Original);
    }

    [Fact]
    public void Error_talking_to_the_kernel_on_an_l2tp_session_names_l2tp_eth()
    {
        var command = LinuxCommands.L2tpSessionAdd("sbl-lan-0", 1, 3, 4, null, null);

        var explained = KernelErrorTranslator.Translate(Host, command, "RTNETLINK answers: No such file or directory\nError talking to the kernel\n");

        Assert.Equal(KernelModule.L2tpEth, explained!.MissingModule);
    }

    [Fact]
    public void A_missing_modprobe_binary_is_named_with_its_package()
    {
        var explained = KernelErrorTranslator.Translate(Host, LinuxCommands.Modprobe("ip_gre"), "bash: line 1: modprobe: command not found\n", 127);

        Assert.Equal("host sblab-h2 has no `modprobe` command (install kmod)", explained!.Message);
    }

    [Fact]
    public void Modprobe_not_finding_the_module_names_the_module_and_its_kernel_option()
    {
        var explained = KernelErrorTranslator.Translate(Host, LinuxCommands.Modprobe("l2tp_eth"),
            "modprobe: FATAL: Module l2tp_eth not found in directory /lib/modules/6.1.0-18-amd64\n", 1);

        Assert.Equal(KernelModule.L2tpEth, explained!.MissingModule);
        Assert.Contains("CONFIG_L2TP_ETH", explained.Message);
    }

    [Fact]
    public void A_vni_already_in_use_is_explained_with_the_vni()
    {
        var explained = KernelErrorTranslator.Translate(Host, LinuxCommands.VxlanAdd("sbx-lan-0", 42, "198.51.100.2", "eth0"),
            "Error: A VXLAN device with the specified VNI already exists.\n", 2);

        Assert.StartsWith("host sblab-h2 already has a vxlan device with VNI 42", explained!.Message);
    }

    [Fact]
    public void File_exists_on_link_add_names_the_taken_device()
    {
        var explained = KernelErrorTranslator.Translate(Host, LinuxCommands.BridgeAdd("superbr0"), "RTNETLINK answers: File exists\n", 2);

        Assert.StartsWith("host sblab-h2 already has a device named superbr0", explained!.Message);
    }

    [Fact]
    public void An_error_it_does_not_know_is_left_alone()
    {
        Assert.Null(KernelErrorTranslator.Translate(Host, Command.Of("ip", "link", "set", "dev", "x", "up"), "something odd\n"));
    }
}
