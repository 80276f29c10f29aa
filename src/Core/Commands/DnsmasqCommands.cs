using System.Collections.Immutable;
using System.Globalization;

namespace Superbridge.Core.Commands;

/// <summary>
/// A standalone dnsmasq per bridge (like lxc-net), with its own pid and lease files, so segments never
/// share or disturb a system dnsmasq.
/// DNS: served by default (containers that get a lease expect a resolver, and dnsmasq then advertises
/// itself as option 6); it listens only on the gateway address, so it cannot clash with a host
/// resolver on 127.0.0.53 or port 53 elsewhere. <c>--port=0</c> when the router asks for no DNS.
/// </summary>
public static class DnsmasqCommands
{
    public const string RunDirectory = "/run/superbridge";

    public static string PidFile(string bridge) => $"{RunDirectory}/dnsmasq-{bridge}.pid";
    public static string LeaseFile(string bridge) => $"{RunDirectory}/dnsmasq-{bridge}.leases";

    public static Command MakeRunDirectory() => Command.Own("mkdir", "-p", RunDirectory);
    public static Command RunDirectoryExists() => Command.Own("test", "-d", RunDirectory);

    public static ImmutableArray<string> Arguments(
        string bridge, string gateway, string rangeStart, string rangeEnd, string leaseTime, int leaseMax, int mtu, bool dns)
    {
        var argv = ImmutableArray.CreateBuilder<string>(16);
        argv.AddRange(
            "dnsmasq",
            "--conf-file=", // empty: ignore /etc/dnsmasq.conf, this instance is configured entirely here
            "--strict-order",
            "--bind-interfaces",
            $"--interface={bridge}",
            "--except-interface=lo",
            "--listen-address", gateway,
            "--dhcp-range", $"{rangeStart},{rangeEnd},{leaseTime}",
            $"--dhcp-lease-max={leaseMax.ToString(CultureInfo.InvariantCulture)}",
            "--dhcp-no-override",
            $"--dhcp-option=option:mtu,{mtu.ToString(CultureInfo.InvariantCulture)}", // option 26
            $"--pid-file={PidFile(bridge)}",
            $"--dhcp-leasefile={LeaseFile(bridge)}");
        if (!dns) argv.Add("--port=0");
        return argv.ToImmutable();
    }

    public static Command Start(ImmutableArray<string> arguments) => new(arguments);

    /// <summary>Stops this bridge's dnsmasq by its pid file and removes its files, leaving the host as before.</summary>
    public static Command Stop(string bridge) =>
        Command.Own("sh", "-c", "pkill -F \"$1\"; rm -f \"$1\" \"$2\"", "sh", PidFile(bridge), LeaseFile(bridge));

    public static Command IsRunning(string bridge) => Command.Own("pkill", "-0", "-F", PidFile(bridge));
}
