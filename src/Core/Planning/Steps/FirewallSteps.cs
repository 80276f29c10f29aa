using System.Collections.Immutable;
using Superbridge.Core.Commands;
using Superbridge.Core.Model;
using Superbridge.Core.Validation;

namespace Superbridge.Core.Planning.Steps;

/// <summary>
/// What a segment opens on a host whose filter table drops (<see cref="FirewallCommands"/>): per hook that needs it,
/// the chain, one ACCEPT rule per opening, then the jump. After the plaintext guard and before the tunnels, so the
/// tunnel comes up open and never unguarded; teardown (reversed) removes the jump first.
/// </summary>
internal static class FirewallSteps
{
    /// <summary>INPUT: the tunnel from each peer (with IPsec: ESP, IKE and only IPsec-protected tunnel packets); on a gateway router, DHCP and DNS on the bridge.</summary>
    public static ImmutableArray<FirewallOpening> Inbound(Transport transport, bool encrypted, IEnumerable<(string Peer, int? LocalPort)> peers,
        string bridge, RouterSpec? router)
    {
        var openings = ImmutableArray.CreateBuilder<FirewallOpening>();
        var wire = transport.ToWire();
        foreach (var (peer, localPort) in peers)
        {
            if (encrypted) openings.AddRange(FirewallCommands.Ipsec(peer));
            openings.Add(transport switch
            {
                Transport.Gretap => FirewallCommands.Tunnel(wire, peer, "47", null, encrypted),
                Transport.L2tpv3Ip => FirewallCommands.Tunnel(wire, peer, "115", null, encrypted),
                Transport.L2tpv3Udp => FirewallCommands.Tunnel(wire, peer, "udp", localPort, encrypted),
                _ => FirewallCommands.Tunnel(wire, peer, "udp", LinuxCommands.VxlanPort, encrypted),
            });
        }
        if (router is { Mode: RouterMode.Gateway })
        {
            openings.Add(FirewallCommands.Service("dhcp", "DHCP", bridge, "udp", 67));
            if (router.Dns)
            {
                openings.Add(FirewallCommands.Service("dns-udp", "DNS", bridge, "udp", 53));
                openings.Add(FirewallCommands.Service("dns-tcp", "DNS", bridge, "tcp", 53));
            }
        }
        return openings.ToImmutable();
    }

    /// <summary>FORWARD: frames between the bridge's ports; on a gateway router, the subnet routed out and its replies.</summary>
    public static ImmutableArray<FirewallOpening> Forwarded(string bridge, RouterSpec? router)
    {
        var openings = ImmutableArray.CreateBuilder<FirewallOpening>();
        openings.Add(FirewallCommands.Bridged(bridge));
        if (router is { Mode: RouterMode.Gateway } && Ipv4Subnet.TryParse(router.Gateway, out var subnet))
            openings.AddRange(FirewallCommands.Routed(bridge, subnet.NetworkCidr));
        return openings.ToImmutable();
    }

    /// <summary>The steps for one hook; none when <paramref name="openings"/> is empty.</summary>
    public static IEnumerable<StepDraft> For(bool input, string bridge, ImmutableArray<FirewallOpening> openings)
    {
        if (openings.IsEmpty) yield break;
        var chain = FirewallCommands.Chain(input, bridge);
        var hook = FirewallCommands.Hook(input);
        var subject = $"iptables filter {chain}";
        yield return new StepDraft(
            new PlanStep($"fw-chain:{chain}", $"Create the filter chain {chain} for what this segment needs through {hook}",
                FirewallCommands.ChainAdd(input, bridge), FirewallCommands.ChainDelete(input, bridge), FirewallCommands.ChainExists(input, bridge)),
            subject,
            o => o.FilterRules.Contains(FirewallCommands.ChainText(input, bridge)) ? Observation.Done : Observation.Missing($"filter chain {chain} missing"),
            Creates: true);
        foreach (var opening in openings)
        {
            var text = FirewallCommands.AcceptText(input, bridge, opening);
            yield return new StepDraft(
                new PlanStep($"fw:{chain}:{opening.Id}", $"Accept {opening.Why}",
                    FirewallCommands.Accept("-A", input, bridge, opening), FirewallCommands.Accept("-D", input, bridge, opening),
                    FirewallCommands.Accept("-C", input, bridge, opening)),
                subject,
                o => o.FilterRules.Contains(text) ? Observation.Done : Observation.Missing($"no rule in {chain} accepting {opening.Why}"));
        }
        yield return new StepDraft(
            new PlanStep($"fw-jump:{chain}", input
                    ? $"Send INPUT to {chain} after the plaintext guards, before the host's own rules"
                    : $"Send FORWARD to {chain} before the host's own rules",
                FirewallCommands.JumpInsert(input, bridge), FirewallCommands.Jump("-D", input, bridge), FirewallCommands.Jump("-C", input, bridge)),
            subject,
            o => ObserveJump(o, input, bridge));
    }

    /// <summary>Present, or missing; present but above a plaintext guard is drift to report (its rules still accept only IPsec-protected tunnel packets).</summary>
    private static Observation ObserveJump(ObservedIndex o, bool input, string bridge)
    {
        var jump = FirewallCommands.JumpText(input, bridge);
        if (!o.FilterRules.Contains(jump)) return Observation.Missing($"no jump from {FirewallCommands.Hook(input)} to {FirewallCommands.Chain(input, bridge)}");
        if (!input) return Observation.Done;
        var lines = o.Host.FilterRules;
        var ours = lines.IndexOf(jump);
        var guardPrefix = "-A INPUT -j " + EspGuardCommands.Chain(true, "");
        var guardBelow = lines.Skip(ours + 1).Any(l => l.StartsWith(guardPrefix, StringComparison.Ordinal));
        return guardBelow
            ? new Observation(true, $"the jump to {FirewallCommands.Chain(input, bridge)} comes before a plaintext guard in INPUT")
            : Observation.Done;
    }
}
