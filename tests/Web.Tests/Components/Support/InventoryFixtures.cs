using System.Collections.Immutable;
using Superbridge.Core.Model;
using Superbridge.Core.Observed;
using Superbridge.Ssh;
using Superbridge.Ssh.Inventory;
using Superbridge.Web.Tests.Support;

namespace Superbridge.Web.Tests.Components.Support;

/// <summary>
/// Inventories built by the real pipeline (section reader, Core parsers, port classifier, view) from outputs captured
/// on real hosts: the Core parser fixtures (host "sbcap-a": three containers, two bridges, VXLAN with head-end
/// replication, NAT, two dnsmasq) and a whole inventory run captured on lab host h1.
/// </summary>
public static class InventoryFixtures
{
    /// <summary>sbcap-a's underlay address; its VXLAN flood entries point at .78 and .79.</summary>
    public const string CaptureAddress = "198.51.100.77";

    private static string Core(string path) => File.ReadAllText(Path.Combine(RepositoryRoot.Path, "tests/Core.Tests/Fixtures", path));

    /// <summary>The Core fixtures as one inventory output of host sbcap-a.</summary>
    public static InventoryOutput CaptureOutput()
    {
        InventorySection S(string name, string stdout) => new(name, stdout, "", 0);
        return new InventoryOutput(
        [
            S(InventorySections.Hostname, "sbcap-a\n"),
            S(InventorySections.Kernel, Core("uname/release.txt")),
            S(InventorySections.Iproute, Core("ip-version/iproute2-6.1.0.txt")),
            S(InventorySections.Features, Core("kernel-features/sandbox-builtin-vxlan-no-gre-no-l2tp.txt")),
            S(InventorySections.IpLink, Core("ip-link/netns-bridge-veth-vxlan-container.json")),
            S(InventorySections.IpAddr, Core("ip-addr/netns-bridge-veth-vxlan-container.json")),
            S(InventorySections.BridgeFdb, Core("bridge-fdb/vxlan-head-end-replication.json")),
            S(InventorySections.L2tpTunnel, ""),
            S(InventorySections.L2tpSession, ""),
            S(InventorySections.IptablesNat, Core("iptables-nat/masquerade-rules.txt")),
            S(InventorySections.Dnsmasq, Core("dnsmasq-cmdline/two-instances.bin")),
            S(InventorySections.IpForward, Core("sysctl/ip-forward-on.txt")),
            S(InventorySections.Boot, Core("boot/namespace-host.txt")),
            S(InventorySections.LxcLs, Core("lxc-ls/fancy-selected-columns.txt")),
            S(InventorySections.LxcConfigPrefix + "sbcap-c1", Core("lxc-config/edited-link-and-autostart.conf")),
            S(InventorySections.LxcInfoPrefix + "sbcap-c1", Core("lxc-info/running-two-ipv4.txt")),
            S(InventorySections.LxcConfigPrefix + "sbcap-c2", Core("lxc-config/group-set.conf")),
            S(InventorySections.LxcInfoPrefix + "sbcap-c2", Core("lxc-info/stopped.txt")),
            S(InventorySections.LxcConfigPrefix + "sbcap-c3", Core("lxc-config/busybox-template-default.conf")),
            S(InventorySections.LxcInfoPrefix + "sbcap-c3", Core("lxc-info/running-ipv6.txt")),
        ], IsComplete: true, Problem: null);
    }

    /// <summary>Host <paramref name="hostId"/> as captured (sbcap-a), with .78 known as host <paramref name="peerHostId"/>.</summary>
    public static HostInventoryResult.Online Capture(string hostId, string peerHostId = "hb") =>
        Online(hostId, CaptureOutput(), CaptureAddress, new Dictionary<string, HostId> { [CaptureAddress] = hostId, ["198.51.100.78"] = peerHostId });

    /// <summary>Lab host h1 as one whole inventory run printed it: by default with a bridge, a VXLAN port and a container
    /// (an older script, without the ipsec section); <c>sblab-h1.out</c> is the current script's, charon running, no ESP.</summary>
    public static HostInventoryResult.Online LabH1(string hostId = "h1", string fixture = "sblab-h1-bridge-vxlan-container.out", string address = "198.51.100.1")
    {
        // Another lab host looks the same but for its address (its eth0's and its routes' source).
        var text = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "tests/Ssh.Tests/Inventory/Fixtures", fixture))
            .Replace("\"198.51.100.1\"", $"\"{address}\"", StringComparison.Ordinal);
        return Online(hostId, InventoryOutputSplitter.Split(text), address,
            new Dictionary<string, HostId> { ["198.51.100.1"] = hostId, ["198.51.100.2"] = "h2", ["198.51.100.3"] = "h3" });
    }

    public static HostInventoryResult.Online Online(string hostId, InventoryOutput output, string underlay, IReadOnlyDictionary<string, HostId> hosts)
    {
        var assembled = InventoryAssembler.Assemble(output, underlay);
        var bridges = BridgePortClassifier.Classify(assembled.Host, hosts);
        return new HostInventoryResult.Online
        {
            HostId = new HostId(hostId),
            Host = assembled.Host,
            Bridges = bridges,
            Inventory = HostInventoryView.Create(new HostId(hostId), assembled, bridges, hosts),
            Assembled = assembled,
            HostKey = new HostKeyInfo("ssh-ed25519", 256, HostKeyFingerprint.Parse(FakeHostRegistrar.Fingerprint)),
            Duration = TimeSpan.FromMilliseconds(180),
        };
    }

    /// <summary>The captured inventory with one container renamed to <paramref name="name"/> (e.g. markup).</summary>
    public static HostInventoryResult.Online WithContainerName(HostInventoryResult.Online online, string name)
    {
        var containers = online.Inventory.Containers;
        return online with { Inventory = online.Inventory with { Containers = containers.SetItem(0, containers[0] with { Name = name }) } };
    }

    /// <summary>
    /// Lab host h1's current capture (<c>sblab-h1.out</c>) as <paramref name="hostId"/>: eth0 carries the SSH address and
    /// the default route. Lab host hN's address is 198.51.100.N, so h2 holds .2 (else it would bind an address other than
    /// the one its peers send to: a host behind NAT).
    /// </summary>
    public static HostInventoryResult.Online CurrentLabH1(string hostId = "h1") =>
        LabH1(hostId, "sblab-h1.out", hostId.Length > 1 && hostId[0] == 'h' && int.TryParse(hostId[1..], out var n) ? $"198.51.100.{n}" : "198.51.100.1");

    /// <summary>A NIC of the capture that may be an uplink: a container's host veth, with no address, route or bridge.</summary>
    public static string SpareNic(Superbridge.Core.Observed.ObservedHost host) =>
        host.Links.First(l => l.Name.StartsWith("veth", StringComparison.Ordinal) && l.Master is null).Name;

    public static ImmutableArray<string> Names<T>(ImmutableArray<T> items, Func<T, string> name) => [.. items.Select(name)];
}
