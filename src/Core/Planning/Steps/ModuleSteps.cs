using System.Net.Sockets;
using Superbridge.Core.Commands;
using Superbridge.Core.Model;

namespace Superbridge.Core.Planning.Steps;

/// <summary>
/// Kernel modules to load before creating tunnels. <c>ip l2tp</c> does not load l2tp_eth (the guide's
/// "load the l2tp_eth module on both hosts"), and encap ip needs l2tp_ip/l2tp_ip6 too. Modules are not
/// unloaded on teardown: other tunnels on the host may use them.
/// </summary>
internal static class ModuleSteps
{
    public static IEnumerable<string> For(Transport transport, AddressFamily family) => transport switch
    {
        Transport.Gretap => [family == AddressFamily.InterNetworkV6 ? "ip6_gre" : "ip_gre"],
        Transport.L2tpv3Udp => ["l2tp_eth"],
        Transport.L2tpv3Ip => ["l2tp_eth", family == AddressFamily.InterNetworkV6 ? "l2tp_ip6" : "l2tp_ip"],
        Transport.Vxlan => ["vxlan"],
        _ => [],
    };

    public static StepDraft Load(string module) => new(
        new PlanStep($"modprobe:{module}", $"Load kernel module {module}", LinuxCommands.Modprobe(module), null, LinuxCommands.ModuleLoaded(module)),
        $"module {module}",
        o => new Observation(InUse(o, module)));

    /// <summary>Observed state lists no modules; a device of the module's kind proves it loaded.</summary>
    private static bool InUse(ObservedIndex o, string module) => module switch
    {
        "ip_gre" => o.Host.Links.Any(l => l.Kind == "gretap"),
        "ip6_gre" => o.Host.Links.Any(l => l.Kind == "ip6gretap"),
        "l2tp_eth" => o.Host.Links.Any(l => l.Kind == "l2tp") || o.Host.L2tpSessions.Length > 0,
        "l2tp_ip" or "l2tp_ip6" => o.Host.L2tpTunnels.Any(t => string.Equals(t.Encap, "ip", StringComparison.OrdinalIgnoreCase)),
        "vxlan" => o.Host.Links.Any(l => l.Kind == "vxlan"),
        _ => false,
    };
}
