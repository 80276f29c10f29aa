using Superbridge.Core.Commands;
using Superbridge.Core.Model;

namespace Superbridge.Operations;

/// <summary>A kernel module a feature needs, the kernel option that builds it, and what the feature is for.</summary>
/// <param name="Capability">What the host cannot do without it, as a verb phrase ("create gretap devices").</param>
public sealed record KernelModule(string Module, string ConfigOption, string Capability)
{
    /// <summary>What to do about it: install the modules package or a kernel with the option, then load it.</summary>
    public string Fix => $"install linux-modules-extra / a kernel with {ConfigOption}; `modprobe {Module}`";

    public static KernelModule Bridge { get; } = new("bridge", "CONFIG_BRIDGE", "create bridges");
    public static KernelModule Gretap { get; } = new("ip_gre", "CONFIG_NET_IPGRE", "create gretap devices");
    public static KernelModule Ip6Gretap { get; } = new("ip6_gre", "CONFIG_IPV6_GRE", "create ip6gretap devices");
    public static KernelModule Vxlan { get; } = new("vxlan", "CONFIG_VXLAN", "create vxlan devices");
    public static KernelModule L2tpNetlink { get; } = new("l2tp_netlink", "CONFIG_L2TP", "create L2TPv3 tunnels");
    public static KernelModule L2tpEth { get; } = new("l2tp_eth", "CONFIG_L2TP_ETH", "create L2TPv3 Ethernet sessions");
    public static KernelModule L2tpIp { get; } = new("l2tp_ip", "CONFIG_L2TP_IP", "create L2TPv3 tunnels over IP (encap ip)");
    public static KernelModule L2tpIp6 { get; } = new("l2tp_ip6", "CONFIG_L2TP_IP", "create L2TPv3 tunnels over IPv6 (encap ip)");
    public static KernelModule Nat { get; } = new("iptable_nat", "CONFIG_IP_NF_NAT", "masquerade (iptables nat table)");

    /// <summary>The module behind an <c>ip link add ... type KIND</c>.</summary>
    public static KernelModule? ForLinkKind(string kind) => kind switch
    {
        "bridge" => Bridge,
        "gretap" => Gretap,
        "ip6gretap" => Ip6Gretap,
        "vxlan" => Vxlan,
        _ => null,
    };

    /// <summary>The module a <c>modprobe NAME</c> step loads.</summary>
    public static KernelModule? ForModuleName(string module) =>
        new[] { Bridge, Gretap, Ip6Gretap, Vxlan, L2tpNetlink, L2tpEth, L2tpIp, L2tpIp6, Nat }.FirstOrDefault(m => m.Module == module);
}

/// <summary>
/// What a kernel's (or iproute2's) error means for this host. <see cref="Message"/> is the sentence for the operator,
/// <see cref="Original"/> the command's own words, kept beside it.
/// </summary>
public sealed record KernelErrorExplanation(string Message, string Original)
{
    /// <summary>The missing module, when that is the cause.</summary>
    public KernelModule? MissingModule { get; init; }

    public override string ToString() => $"{Message} (the command said: {Original})";
}

/// <summary>
/// Turns the terse answers of the kernel and iproute2 into what they mean, e.g. <c>Error: Unknown device type.</c>
/// after <c>ip link add X type gretap</c> into "host h2 cannot create gretap devices: kernel module ip_gre is missing
/// (...)". Pure: it reads only the command and its stderr. Returns null for errors it does not recognise.
/// </summary>
public static class KernelErrorTranslator
{
    public static KernelErrorExplanation? Translate(HostId host, Command command, string standardError, int exitCode = 1)
    {
        ArgumentNullException.ThrowIfNull(command);
        var original = OneLine(standardError);
        var argv = command.Argv;
        var explanation = Explain(host, argv, standardError ?? "", exitCode);
        return explanation is null ? null : explanation with { Original = original };
    }

    private static KernelErrorExplanation? Explain(HostId host, IReadOnlyList<string> argv, string stderr, int exitCode)
    {
        KernelErrorExplanation Missing(KernelModule module) =>
            new($"host {host} cannot {module.Capability}: kernel module {module.Module} is missing ({module.Fix})", "") { MissingModule = module };

        var program = argv.Count > 0 ? argv[0] : "";
        if (exitCode == 127 || stderr.Contains($"{program}: command not found", StringComparison.Ordinal)
            || stderr.Contains($"{program}: not found", StringComparison.Ordinal))
            return new($"host {host} has no `{program}` command (install {PackageOf(program)})", "");

        if (program == "modprobe" && argv.Count > 1)
        {
            var name = argv[^1];
            if (stderr.Contains("not found in directory", StringComparison.Ordinal) || stderr.Contains("Module " + name + " not found", StringComparison.Ordinal))
                return Missing(KernelModule.ForModuleName(name) ?? new KernelModule(name, "the matching CONFIG_ option", $"load {name}"));
        }

        var linkKind = LinkAddKind(argv);
        var isL2tp = argv.Count > 2 && argv[0] == "ip" && argv[1] == "l2tp";
        var isL2tpSession = isL2tp && argv.Contains("session");
        var isL2tpEncapIp = isL2tp && IndexAfter(argv, "encap") == "ip";
        var isIpv6 = argv.Any(a => a.Contains(':', StringComparison.Ordinal) && System.Net.IPAddress.TryParse(a, out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6);

        if (stderr.Contains("Unknown device type", StringComparison.Ordinal) && linkKind is not null)
            return KernelModule.ForLinkKind(linkKind) is { } module ? Missing(module) : new($"host {host}'s kernel does not know link type {linkKind}", "");

        if (stderr.Contains("Operation not supported", StringComparison.Ordinal))
        {
            if (linkKind is not null && KernelModule.ForLinkKind(linkKind) is { } module) return Missing(module);
            if (isL2tpSession) return Missing(KernelModule.L2tpEth);
            if (isL2tpEncapIp) return Missing(isIpv6 ? KernelModule.L2tpIp6 : KernelModule.L2tpIp);
        }

        if (isL2tp && stderr.Contains("Error talking to the kernel", StringComparison.Ordinal))
        {
            // No L2TP generic-netlink family: the l2tp modules are absent altogether.
            if (stderr.Contains("No such file or directory", StringComparison.Ordinal) || !stderr.Contains("Protocol not supported", StringComparison.Ordinal))
                return isL2tpSession ? Missing(KernelModule.L2tpEth) : Missing(KernelModule.L2tpNetlink);
            return Missing(isIpv6 ? KernelModule.L2tpIp6 : KernelModule.L2tpIp);
        }
        if (isL2tp && stderr.Contains("Protocol not supported", StringComparison.Ordinal))
            return Missing(isL2tpSession ? KernelModule.L2tpEth : isIpv6 ? KernelModule.L2tpIp6 : KernelModule.L2tpIp);

        if (program == "iptables" && (stderr.Contains("Table does not exist", StringComparison.Ordinal) || stderr.Contains("can't initialize iptables table", StringComparison.Ordinal)))
            return Missing(KernelModule.Nat);

        if (stderr.Contains("A VXLAN device with the specified VNI already exists", StringComparison.Ordinal))
            return new($"host {host} already has a vxlan device with VNI {IndexAfter(argv, "id") ?? "?"} (another segment or a device not made by Superbridge); tear that down or pin another VNI", "");

        if (stderr.Contains("File exists", StringComparison.Ordinal))
        {
            if (linkKind is not null && argv.Count > 3)
                return new($"host {host} already has a device named {argv[3]}; remove it or let Superbridge choose another name", "");
            if (isL2tp && !isL2tpSession)
                return new($"host {host} already has L2TP tunnel {IndexAfter(argv, "tunnel_id") ?? "?"}", "");
            if (isL2tpSession)
                return new($"host {host} already has L2TP session {IndexAfter(argv, "session_id") ?? "?"} (or a device named {IndexAfter(argv, "name") ?? "?"})", "");
        }

        if (isL2tp && stderr.Contains("Address already in use", StringComparison.Ordinal))
            return new($"host {host} already uses UDP port {IndexAfter(argv, "udp_sport") ?? "?"}; choose another port for this link", "");

        if (stderr.Contains("Operation not permitted", StringComparison.Ordinal) || stderr.Contains("Permission denied", StringComparison.Ordinal) && program is "ip" or "bridge" or "sysctl" or "iptables")
            return new($"host {host} refused `{program}`: the login lacks root rights (log in as root or use a user with passwordless sudo)", "");

        if (program == "dnsmasq" && stderr.Contains("Address already in use", StringComparison.Ordinal))
            return new($"host {host} already runs a DHCP/DNS server on the gateway address or its ports; stop it or use another gateway address", "");

        if (stderr.Contains("Cannot find device", StringComparison.Ordinal) || stderr.Contains("does not exist", StringComparison.Ordinal) && program is "ip" or "bridge")
            return new($"host {host} has no device the command names (removed since the inventory?)", "");

        return null;
    }

    /// <summary>KIND of <c>ip link add NAME type KIND ...</c>.</summary>
    private static string? LinkAddKind(IReadOnlyList<string> argv)
    {
        if (argv.Count < 6 || argv[0] != "ip" || argv[1] != "link" || argv[2] != "add") return null;
        return IndexAfter(argv, "type");
    }

    private static string? IndexAfter(IReadOnlyList<string> argv, string keyword)
    {
        for (var i = 0; i < argv.Count - 1; i++)
            if (argv[i] == keyword) return argv[i + 1];
        return null;
    }

    private static string PackageOf(string program) => program switch
    {
        "ip" or "bridge" => "iproute2",
        "modprobe" => "kmod",
        "iptables" => "iptables",
        "dnsmasq" => "dnsmasq-base",
        "sysctl" => "procps",
        _ when program.StartsWith("lxc-", StringComparison.Ordinal) => "lxc",
        _ => "the package that provides it",
    };

    private static string OneLine(string? text) =>
        string.Join(" | ", (text ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
