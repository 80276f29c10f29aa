using System.Text.Json;
using Superbridge.Core.Model;
using Superbridge.Core.Observed;
using Superbridge.Ssh.Inventory;

namespace Superbridge.Ssh.Tests.Inventory;

public sealed class InventoryAssemblerTests
{
    private static readonly Dictionary<string, HostId> LabHosts = new()
    {
        ["198.51.100.1"] = "h1",
        ["198.51.100.2"] = "h2",
        ["198.51.100.3"] = "h3",
    };

    private static AssembledInventory Assemble(string fixture, string? underlay = "198.51.100.1") =>
        InventoryAssembler.Assemble(InventoryOutputSplitter.Split(InventoryFixtures.Read(fixture)), underlay);

    [Fact]
    public void The_captured_host_assembles_without_problems()
    {
        var inventory = Assemble(InventoryFixtures.PlainH1);

        Assert.Empty(inventory.Problems);
        Assert.Equal("sblab-h1", inventory.Host.Hostname);
        Assert.Equal("6.18.44-fc-v1045", inventory.Host.KernelRelease);
        Assert.Equal("6.1.0", inventory.Host.IprouteVersion);
        Assert.Equal("0", inventory.Host.Ipv4Forward);
        Assert.Empty(inventory.Host.NatRules.Where(l => l.StartsWith("-A", StringComparison.Ordinal)));
        Assert.Equal<string>(["-P PREROUTING ACCEPT", "-P INPUT ACCEPT", "-P OUTPUT ACCEPT", "-P POSTROUTING ACCEPT"], inventory.Host.NatRules);
        Assert.Empty(inventory.Host.Dnsmasq);
        Assert.Equal(Persistence.None, inventory.Host.Boot.Persistence);
        Assert.Equal("Superbridge reaches this host in a network namespace other than PID 1's, so no boot unit of the machine recreates it",
            inventory.Host.Boot.Reason);
    }

    [Fact]
    public void A_firewalled_host_reports_its_backend_the_legacy_table_behind_it_and_the_nftables_chains_that_drop()
    {
        var inventory = Assemble(InventoryFixtures.Firewalled, underlay: null);

        Assert.Empty(inventory.Problems);
        Assert.Equal<string>(["-P INPUT DROP", "-P FORWARD DROP", "-P OUTPUT ACCEPT", "-A INPUT -i lo -j ACCEPT"], inventory.Host.FilterRules);
        var firewall = inventory.Host.Firewall;
        Assert.Equal(IptablesBackend.NfTables, firewall.Backend);
        Assert.Equal<string>(["-P INPUT ACCEPT", "-P FORWARD DROP", "-P OUTPUT ACCEPT"], firewall.OtherBackendFilterRules);
        Assert.Equal(
            [new NftBlockingChain("ip", "filter", "INPUT", "input", "policy drop"), new NftBlockingChain("ip", "filter", "FORWARD", "forward", "policy drop"),
             new NftBlockingChain("inet", "filter", "input", "input", "policy drop")],
            firewall.NftBlockingChains.ToArray());
    }

    [Fact]
    public void An_output_from_before_the_firewall_sections_leaves_the_firewall_unknown_without_a_problem()
    {
        var inventory = Assemble(InventoryFixtures.BridgeH1);

        Assert.Same(HostFirewall.Unknown, inventory.Host.Firewall);
    }

    [Fact]
    public void An_output_from_before_the_boot_section_says_the_init_system_is_unknown_without_a_problem()
    {
        var inventory = Assemble(InventoryFixtures.BridgeH1);

        Assert.DoesNotContain(inventory.Problems, p => p.Section.StartsWith("boot", StringComparison.Ordinal));
        Assert.Same(BootState.Unknown, inventory.Host.Boot);
    }

    [Fact]
    public void Features_come_from_the_kernel_probe_with_their_evidence()
    {
        var inventory = Assemble(InventoryFixtures.PlainH1);

        Assert.Equal(new KernelFeatures(Gretap: false, L2tpv3: false, L2tpIp: false, Vxlan: true, Bridge: true, Lxc: true), inventory.Host.Features);
        Assert.Equal("loaded", inventory.FeatureProbe!.Lines.Single(l => l.Feature == "vxlan").Evidence);
    }

    [Fact]
    public void The_lab_hosts_charon_answers_but_its_kernel_has_no_esp_so_ipsec_is_missing_esp()
    {
        var ipsec = Assemble(InventoryFixtures.PlainH1).Host.Ipsec;

        Assert.Equal((true, true, true, "5.9.8"), (ipsec.Swanctl, ipsec.Xfrm, ipsec.CharonRunning, ipsec.Version));
        Assert.Equal("the kernel has no ESP: module esp4 (CONFIG_INET_ESP) is missing", ipsec.Missing);
    }

    [Fact]
    public void The_lxcpath_the_host_uses_is_read_so_plans_edit_the_right_config_files()
    {
        var plain = InventoryAssembler.Assemble(InventoryOutputSplitter.Split(InventoryFixtures.Read(InventoryFixtures.PlainH1)), "198.51.100.1");

        Assert.Equal("/run/sblab/h1/lxc", plain.LxcPath);
        Assert.Empty(plain.Problems);
    }

    [Fact]
    public void Output_from_before_the_lxcpath_section_still_assembles_without_one()
    {
        var older = InventoryAssembler.Assemble(InventoryOutputSplitter.Split(InventoryFixtures.Read(InventoryFixtures.BridgeH1)), "198.51.100.1");

        Assert.Null(older.LxcPath);
        Assert.Empty(older.Problems);
    }

    [Fact]
    public void Containers_get_state_configured_link_and_host_veth()
    {
        var inventory = Assemble(InventoryFixtures.PlainH1);

        Assert.Equal(["h1-c1", "h1-c2"], inventory.Host.Containers.Select(c => c.Name));
        Assert.All(inventory.Host.Containers, c =>
        {
            Assert.Equal("RUNNING", c.State);
            Assert.Null(c.ConfiguredLink);
            Assert.False(c.Autostart);
            Assert.Empty(c.Ipv4);
        });
        Assert.Equal(["vethRPe7gn", "vethXgv5Ti"], inventory.Host.Containers.Select(c => c.HostVeth));
    }

    [Fact]
    public void A_lab_host_routes_its_peers_from_its_underlay_address()
    {
        var inventory = Assemble(InventoryFixtures.PlainH1);

        var choice = RouteLookup.Toward(inventory.Host, "198.51.100.2");
        Assert.Equal(("eth0", "198.51.100.1"), (choice!.Device, choice.Source));
        Assert.Equal("eth0", RouteLookup.DefaultDevice(inventory.Host));
    }

    [Theory]
    [InlineData(InventoryFixtures.PlainH1)] // the script skips ip l2tp: empty sections
    [InlineData(InventoryFixtures.BridgeH1)] // an older script ran it: "Error talking to the kernel"
    public void A_kernel_without_L2TP_is_no_tunnels_and_no_problem(string fixture)
    {
        var inventory = Assemble(fixture);

        Assert.Empty(inventory.Host.L2tpTunnels);
        Assert.Empty(inventory.Host.L2tpSessions);
        Assert.DoesNotContain(inventory.Problems, p => p.Section.StartsWith("l2tp", StringComparison.Ordinal));
    }

    [Fact]
    public void Links_and_addresses_come_from_the_one_ip_addr_section_and_its_failure_is_one_problem()
    {
        var plain = Assemble(InventoryFixtures.PlainH1);
        Assert.Equal(["lo", "eth0", "vethRPe7gn", "vethXgv5Ti"], plain.Host.Links.Select(l => l.Name));
        Assert.Contains(plain.Host.Addresses, a => (a.Device, a.Address) == ("eth0", "198.51.100.1"));

        var text = InventoryFixtures.Read(InventoryFixtures.PlainH1);
        var start = text.IndexOf("@@superbridge-section ip-addr@@\n", StringComparison.Ordinal);
        var end = text.IndexOf("@@superbridge-end ip-addr exit=0@@", StringComparison.Ordinal);
        var failed = text[..start] + "@@superbridge-section ip-addr@@\n\n@@superbridge-stderr ip-addr@@\nip: not found\n@@superbridge-end ip-addr exit=127@@" +
            text[(end + "@@superbridge-end ip-addr exit=0@@".Length)..];

        var inventory = InventoryAssembler.Assemble(InventoryOutputSplitter.Split(failed), "198.51.100.1");

        Assert.Equal(new InventoryProblem("ip-addr", "ip -j -d addr show", 127, "ip: not found", "exited 127"), Assert.Single(inventory.Problems));
        Assert.Empty(inventory.Host.Links);
        Assert.Empty(inventory.Host.Addresses);
    }

    [Fact]
    public void The_underlay_mtu_is_the_mtu_of_the_device_holding_the_underlay_address()
    {
        var inventory = Assemble(InventoryFixtures.PlainH1);

        Assert.Equal("eth0", inventory.UnderlayDevice);
        Assert.Equal(1500, inventory.UnderlayMtu);
        Assert.Null(Assemble(InventoryFixtures.PlainH1, underlay: "2001:db8::7").UnderlayMtu); // no IPv6 default route there
    }

    [Fact]
    public void A_peer_address_on_no_device_as_in_front_of_a_1to1_nat_finds_the_default_routes_device()
    {
        var inventory = Assemble(InventoryFixtures.PlainH1, underlay: "203.0.113.80");

        Assert.Equal("eth0", inventory.UnderlayDevice);
        Assert.Equal(1500, inventory.UnderlayMtu);
    }

    [Fact]
    public void A_failed_section_is_named_with_its_stderr_and_the_rest_is_still_assembled()
    {
        var text = InventoryFixtures.Read(InventoryFixtures.PlainH1).Replace(
            "@@superbridge-stderr iptables-nat@@\n\n@@superbridge-end iptables-nat exit=0@@",
            "@@superbridge-stderr iptables-nat@@\niptables: command not found\n@@superbridge-end iptables-nat exit=127@@");

        var inventory = InventoryAssembler.Assemble(InventoryOutputSplitter.Split(text), "198.51.100.1");

        var problem = Assert.Single(inventory.Problems);
        Assert.Equal(new InventoryProblem("iptables-nat", "iptables -t nat -S", 127, "iptables: command not found", "exited 127"), problem);
        Assert.Equal("iptables-nat (`iptables -t nat -S`): exited 127: iptables: command not found", problem.ToString());
        Assert.Empty(inventory.Host.NatRules);
        Assert.Equal(2, inventory.Host.Containers.Length);
        Assert.NotEmpty(inventory.Host.Links);
    }

    [Fact]
    public void An_unreadable_section_reports_the_parser_message()
    {
        var text = InventoryFixtures.Read(InventoryFixtures.PlainH1).Replace(
            "@@superbridge-section ip-forward@@\n0\n", "@@superbridge-section ip-forward@@\nmaybe\n");

        var inventory = InventoryAssembler.Assemble(InventoryOutputSplitter.Split(text), "198.51.100.1");

        var problem = Assert.Single(inventory.Problems);
        Assert.Equal("ip-forward", problem.Section);
        Assert.Equal("SystemInfoParser: cannot read `sysctl -n net.ipv4.ip_forward` output: expected 0 or 1, found \"maybe\"", problem.Message);
        Assert.Null(inventory.Host.Ipv4Forward);
    }

    [Fact]
    public void A_cut_short_output_is_one_problem_and_keeps_what_was_read()
    {
        var full = InventoryFixtures.Read(InventoryFixtures.PlainH1);
        var cut = full[..full.IndexOf("@@superbridge-section bridge-fdb@@", StringComparison.Ordinal)];

        var inventory = InventoryAssembler.Assemble(InventoryOutputSplitter.Split(cut), "198.51.100.1");

        var problem = Assert.Single(inventory.Problems);
        Assert.Equal("inventory", problem.Section);
        Assert.Contains("cut short", problem.Message);
        Assert.Equal("sblab-h1", inventory.Host.Hostname);
        Assert.NotEmpty(inventory.Host.Addresses);
        Assert.Empty(inventory.Host.Containers);
    }

    [Fact]
    public void A_bridge_with_vxlan_and_container_veth_is_classified()
    {
        var inventory = Assemble(InventoryFixtures.BridgeH1);
        Assert.Empty(inventory.Problems);

        var bridge = Assert.Single(BridgePortClassifier.Classify(inventory.Host, LabHosts));

        Assert.Equal("sbinv-br0", bridge.Name);
        Assert.Equal(1450, bridge.Mtu);
        var vxlan = bridge.Members.Single(m => m.Device == "sbinv-vx0");
        Assert.Equal(BridgeMemberKind.Tunnel, vxlan.Kind);
        Assert.Equal<string>(["198.51.100.2", "198.51.100.3"], vxlan.PeerAddresses);
        Assert.Equal<HostId>([new HostId("h2"), new HostId("h3")], vxlan.PeerHosts);
        var veth = bridge.Members.Single(m => m.Kind == BridgeMemberKind.Container);
        Assert.Equal("h1-c2", veth.Container);
        Assert.Equal("veth8q8sZ5", veth.Device);
        Assert.Equal(2, bridge.Members.Length);
    }

    [Fact]
    public void The_view_lists_containers_bridges_tunnels_dnsmasq_and_features()
    {
        var inventory = Assemble(InventoryFixtures.BridgeH1);
        var view = HostInventoryView.Create("h1", inventory, BridgePortClassifier.Classify(inventory.Host, LabHosts), LabHosts);

        Assert.Equal(new InventoryFeatures(Gretap: false, L2tpv3: false, Vxlan: true, Lxc: true), view.Features);
        Assert.Equal([("h1-c1", (string?)null), ("h1-c2", "sbinv-br0")], view.Containers.Select(c => (c.Name, c.Bridge)));
        var bridge = Assert.Single(view.Bridges);
        Assert.Equal(
            [("sbinv-vx0", InventoryMemberKind.Tunnel, (string?)null, (HostId?)"h2"), ("veth8q8sZ5", InventoryMemberKind.Container, "h1-c2", null)],
            bridge.Members.Select(m => (m.Name, m.Kind, m.Container, m.PeerHostId)).OrderBy(m => m.Name));
        var tunnel = Assert.Single(view.Tunnels);
        Assert.Equal(("vxlan", "sbinv-vx0", "sbinv-br0", "198.51.100.1", 4242u, 4789), (tunnel.Kind, tunnel.Device, tunnel.Bridge, tunnel.Local, tunnel.Vni!.Value, tunnel.Port!.Value));
        Assert.Equal<string>(["198.51.100.2", "198.51.100.3"], tunnel.Remotes);
        Assert.Equal<HostId>([new HostId("h2"), new HostId("h3")], tunnel.PeerHostIds);
        var dnsmasq = Assert.Single(view.Dnsmasq);
        Assert.Equal(("sbinv-br0", "/run/sblab/sbinv-dnsmasq.pid"), (dnsmasq.Interface, dnsmasq.PidFile));
        Assert.Equal(1500, view.UnderlayMtu);
        Assert.Equal(false, view.Ipv4Forwarding);
    }

    [Fact]
    public void The_view_serialises_in_the_shape_the_rest_api_promises()
    {
        var inventory = Assemble(InventoryFixtures.BridgeH1);
        var view = HostInventoryView.Create("h1", inventory, BridgePortClassifier.Classify(inventory.Host, LabHosts), LabHosts);

        using var json = JsonDocument.Parse(JsonSerializer.Serialize(view, new JsonSerializerOptions(JsonSerializerDefaults.Web)));
        var root = json.RootElement;

        var container = root.GetProperty("containers")[1];
        Assert.Equal(["name", "state", "ipv4", "autostart", "bridge", "hostVeth"], container.EnumerateObject().Select(p => p.Name));
        Assert.Equal("sbinv-br0", container.GetProperty("bridge").GetString());
        Assert.Equal(JsonValueKind.Array, container.GetProperty("ipv4").ValueKind);
        var bridge = root.GetProperty("bridges")[0];
        Assert.Equal(1450, bridge.GetProperty("mtu").GetInt32());
        var members = bridge.GetProperty("members").EnumerateArray().ToDictionary(m => m.GetProperty("name").GetString()!);
        Assert.Equal("tunnel", members["sbinv-vx0"].GetProperty("kind").GetString());
        Assert.Equal("h2", members["sbinv-vx0"].GetProperty("peerHostId").GetString());
        Assert.False(members["sbinv-vx0"].TryGetProperty("container", out _));
        Assert.Equal("container", members["veth8q8sZ5"].GetProperty("kind").GetString());
        Assert.Equal("h1-c2", members["veth8q8sZ5"].GetProperty("container").GetString());
        Assert.False(members["veth8q8sZ5"].TryGetProperty("peerHostId", out _));
        Assert.Equal("vxlan", root.GetProperty("tunnels")[0].GetProperty("kind").GetString());
        Assert.Equal(4242, root.GetProperty("tunnels")[0].GetProperty("vni").GetInt32());
        var features = root.GetProperty("features");
        Assert.Equal(["gretap", "l2tpv3", "vxlan", "lxc"], features.EnumerateObject().Select(p => p.Name));
        Assert.True(features.GetProperty("vxlan").GetBoolean());
    }

    private const string CapturedConnection = "blue-f6ea5140";

    /// <summary>The captured h1 output with its ipsec-sas section (h1's charon had none) replaced by one that printed <paramref name="stdout"/>.</summary>
    private static AssembledInventory WithSas(string stdout, string stderr = "", int exit = 0)
    {
        var captured = InventoryFixtures.Read(InventoryFixtures.PlainH1);
        var start = captured.IndexOf("@@superbridge-section ipsec-sas@@", StringComparison.Ordinal);
        var end = captured.IndexOf('\n', captured.IndexOf("@@superbridge-end ipsec-sas ", start, StringComparison.Ordinal)) + 1;
        var text = captured[..start] + captured[end..];
        var at = text.IndexOf("@@superbridge-section lxc-ls@@", StringComparison.Ordinal);
        var section = $"@@superbridge-section ipsec-sas@@\n{stdout}\n@@superbridge-stderr ipsec-sas@@\n{stderr.TrimEnd('\n')}\n@@superbridge-end ipsec-sas exit={exit}@@\n";
        return InventoryAssembler.Assemble(InventoryOutputSplitter.Split(text[..at] + section + text[at..]), "198.51.100.1");
    }

    [Fact]
    public void Swanctl_without_a_running_charon_is_no_sas_and_no_problem()
    {
        var inventory = WithSas("", InventoryFixtures.ReadCore("swanctl-list-sas/sandbox-no-charon.stderr"), exit: 2);

        Assert.Empty(inventory.Problems);
        Assert.Empty(inventory.Host.IpsecSas);
    }

    [Fact]
    public void The_sas_charon_lists_are_read_into_the_observed_host()
    {
        var inventory = WithSas(InventoryFixtures.ReadCore("swanctl-list-sas/vm1-established.txt"));

        Assert.Empty(inventory.Problems);
        var ike = Assert.Single(inventory.Host.IpsecSas);
        Assert.Equal(CapturedConnection, ike.Name);
        Assert.Equal<string>([CapturedConnection + "-out", CapturedConnection + "-in"], ike.Children.Select(c => c.Name));
    }

    [Fact]
    public void Another_swanctl_failure_is_a_problem_with_its_exit_status()
    {
        var stderr = InventoryFixtures.ReadCore("swanctl-list-sas/sandbox-no-charon.stderr").Replace("No such file or directory", "Permission denied");

        var inventory = WithSas("", stderr, exit: 2);

        var problem = Assert.Single(inventory.Problems);
        Assert.Equal(("ipsec-sas", "swanctl --list-sas --noblock", (int?)2), (problem.Section, problem.Command, problem.ExitCode));
        Assert.Empty(inventory.Host.IpsecSas);
    }

    [Fact]
    public void An_output_from_before_the_ipsec_sas_section_has_no_sas_and_no_problem()
    {
        var inventory = Assemble(InventoryFixtures.PlainH1);

        Assert.DoesNotContain(inventory.Problems, p => p.Section == InventorySections.IpsecSas);
        Assert.Empty(inventory.Host.IpsecSas);
    }
}
