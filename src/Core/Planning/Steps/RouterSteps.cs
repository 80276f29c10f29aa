using Superbridge.Core.Allocation;
using Superbridge.Core.Commands;
using Superbridge.Core.Model;
using Superbridge.Core.Validation;

namespace Superbridge.Core.Planning.Steps;

/// <summary>
/// The router host: gateway address on the bridge, a dnsmasq of its own, IPv4 forwarding and NAT;
/// or, in external mode, a physical interface in the bridge and nothing else (the guide: "you DO NOT
/// need to give the bridge an IP and configure dnsmasq and iptables").
/// </summary>
internal static class RouterSteps
{
    public static IEnumerable<StepDraft> For(RouterSpec router, RouterAllocation allocation, string bridge, int mtu)
    {
        if (router.Mode == RouterMode.External)
        {
            foreach (var step in UplinkSteps.For(router.ExternalInterface!, bridge)) yield return step;
            yield break;
        }

        Ipv4Subnet.TryParse(router.Gateway, out var subnet);
        var cidr = subnet.AddressCidr;
        yield return new StepDraft(
            new PlanStep($"addr:{bridge}:{cidr}", $"Give {bridge} the gateway address {cidr}",
                LinuxCommands.AddressAdd(cidr, bridge), LinuxCommands.AddressDelete(cidr, bridge), LinuxCommands.AddressExists(cidr, bridge)),
            bridge,
            o => o.Host.Addresses.Any(a => a.Device == bridge && a.PrefixLength == subnet.PrefixLength && ObservedIndex.SameAddress(a.Address, subnet.AddressText))
                ? Observation.Done : o.Link(bridge) is null ? Observation.Absent : Observation.Missing($"no address {cidr}"));

        var dnsmasq = DnsmasqArguments(router, bridge, subnet, mtu);
        yield return new StepDraft(
            new PlanStep("run-dir", $"Create {DnsmasqCommands.RunDirectory} for pid and lease files",
                DnsmasqCommands.MakeRunDirectory(), null, DnsmasqCommands.RunDirectoryExists()),
            DnsmasqCommands.RunDirectory,
            o => new Observation(o.Host.Dnsmasq.Any(d => d.PidFile?.StartsWith(DnsmasqCommands.RunDirectory + "/", StringComparison.Ordinal) == true)));
        yield return new StepDraft(
            new PlanStep($"dnsmasq:{bridge}", $"Serve DHCP{(router.Dns ? " and DNS" : "")} on {bridge} with dnsmasq",
                DnsmasqCommands.Start(dnsmasq), DnsmasqCommands.Stop(bridge), DnsmasqCommands.IsRunning(bridge)),
            $"dnsmasq {bridge}",
            o => ObserveDnsmasq(o, bridge, dnsmasq));

        var previous = allocation.PreviousIpv4Forward;
        yield return new StepDraft(
            new PlanStep("sysctl:ip_forward", $"Enable IPv4 forwarding (was {previous ?? "unknown"})",
                LinuxCommands.SetIpv4Forward("1"),
                previous is "0" ? LinuxCommands.SetIpv4Forward("0") : null, // nothing to restore when it was already on or is unknown
                LinuxCommands.Ipv4ForwardIs("1")),
            "net.ipv4.ip_forward",
            o => o.Host.Ipv4Forward == "1" ? Observation.Done : new Observation(false));

        if (router.Nat)
        {
            var network = subnet.NetworkCidr;
            var chain = LinuxCommands.NatChain(bridge);
            yield return new StepDraft(
                new PlanStep($"nat-chain:{chain}", $"Create the nat chain {chain} for this segment's rules",
                    LinuxCommands.NatChainAdd(bridge), LinuxCommands.NatChainDelete(bridge), LinuxCommands.NatChainExists(bridge)),
                $"iptables nat {chain}",
                o => o.NatRules.Contains(LinuxCommands.NatChainText(bridge)) ? Observation.Done : Observation.Missing($"nat chain {chain} missing"),
                Creates: true);
            var rule = LinuxCommands.MasqueradeRuleText(bridge, network, router.NatOutInterface);
            yield return new StepDraft(
                new PlanStep($"nat:{network}", $"Masquerade {network} leaving{(router.NatOutInterface is { } o ? $" by {o}" : " the subnet")}",
                    LinuxCommands.Masquerade("-A", bridge, network, router.NatOutInterface),
                    LinuxCommands.Masquerade("-D", bridge, network, router.NatOutInterface),
                    LinuxCommands.Masquerade("-C", bridge, network, router.NatOutInterface)),
                $"iptables nat {chain}",
                o => o.NatRules.Contains(rule) ? Observation.Done : Observation.Missing("masquerade rule missing"));
            var jump = LinuxCommands.NatJumpText(bridge, network);
            yield return new StepDraft(
                new PlanStep($"nat-jump:{chain}", $"Send {network} leaving through POSTROUTING to {chain}",
                    LinuxCommands.NatJump("-A", bridge, network), LinuxCommands.NatJump("-D", bridge, network), LinuxCommands.NatJump("-C", bridge, network)),
                $"iptables nat {chain}",
                o => o.NatRules.Contains(jump) ? Observation.Done : Observation.Missing($"no jump from POSTROUTING to {chain}"));
        }
    }

    internal static System.Collections.Immutable.ImmutableArray<string> DnsmasqArguments(RouterSpec router, string bridge, Ipv4Subnet subnet, int mtu)
    {
        IpAddressRules.TryParseIpv4(router.DhcpRange!.Start, out var start);
        IpAddressRules.TryParseIpv4(router.DhcpRange.End, out var end);
        var leaseMax = (int)Math.Min(int.MaxValue, (long)Ipv4Subnet.ToUInt(end) - Ipv4Subnet.ToUInt(start) + 1);
        return DnsmasqCommands.Arguments(bridge, subnet.AddressText, router.DhcpRange.Start, router.DhcpRange.End,
            router.LeaseTime, leaseMax, mtu, router.Dns);
    }

    private static Observation ObserveDnsmasq(ObservedIndex o, string bridge, System.Collections.Immutable.ImmutableArray<string> expected)
    {
        var pidFile = DnsmasqCommands.PidFile(bridge);
        var running = o.Host.Dnsmasq.FirstOrDefault(d => d.PidFile == pidFile) ?? o.Host.Dnsmasq.FirstOrDefault(d => d.Interface == bridge);
        if (running is null)
            return o.Link(bridge) is null ? Observation.Absent : Observation.Missing("dnsmasq not running");
        if (running.Arguments.IsDefaultOrEmpty) return Observation.Done;
        var observedArgs = running.Arguments.SkipWhile(a => !a.EndsWith("dnsmasq", StringComparison.Ordinal)).Skip(1);
        return observedArgs.SequenceEqual(expected.Skip(1))
            ? Observation.Done
            : new Observation(true, "dnsmasq runs with other arguments");
    }
}
