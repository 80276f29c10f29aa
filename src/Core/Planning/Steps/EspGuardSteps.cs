using Superbridge.Core.Commands;

namespace Superbridge.Core.Planning.Steps;

/// <summary>
/// An encrypted segment's plaintext guard on one host (<see cref="EspGuardCommands"/>): its two chains, a drop rule
/// each way per child SA of every peer, then the jumps from INPUT and OUTPUT. After the IPsec steps, so the trap
/// policies are in place before anything is dropped, and before the tunnels, so none of their packets leaves unguarded.
/// </summary>
internal static class EspGuardSteps
{
    public static IEnumerable<StepDraft> For(string bridge, IReadOnlyList<(string Peer, IReadOnlyList<IpsecSelector> Children)> peers)
    {
        bool[] directions = [false, true];
        foreach (var inbound in directions)
        {
            var chain = EspGuardCommands.Chain(inbound, bridge);
            yield return new StepDraft(
                new PlanStep($"esp-guard-chain:{chain}", $"Create the filter chain {chain} for packets {(inbound ? "from" : "to")} this segment's peers",
                    EspGuardCommands.ChainAdd(inbound, bridge), EspGuardCommands.ChainDelete(inbound, bridge), EspGuardCommands.ChainExists(inbound, bridge)),
                $"iptables filter {chain}",
                o => o.FilterRules.Contains(EspGuardCommands.ChainText(inbound, bridge)) ? Observation.Done : Observation.Missing($"filter chain {chain} missing"),
                Creates: true);
        }
        foreach (var (peer, children) in peers)
            foreach (var child in children)
                foreach (var inbound in directions)
                {
                    var chain = EspGuardCommands.Chain(inbound, bridge);
                    var text = EspGuardCommands.DropText(inbound, bridge, peer, child);
                    yield return new StepDraft(
                        new PlanStep($"esp-drop:{child.Child}:{(inbound ? "in" : "out")}",
                            $"Drop {child.Protocol} packets {(inbound ? "from" : "to")} {peer} that did not go through IPsec",
                            EspGuardCommands.Drop("-A", inbound, bridge, peer, child), EspGuardCommands.Drop("-D", inbound, bridge, peer, child),
                            EspGuardCommands.Drop("-C", inbound, bridge, peer, child)),
                        $"iptables filter {chain}",
                        o => o.FilterRules.Contains(text) ? Observation.Done : Observation.Missing($"no rule in {chain} dropping clear {child.Protocol} {(inbound ? "from" : "to")} {peer}"));
                }
        foreach (var inbound in directions)
        {
            var chain = EspGuardCommands.Chain(inbound, bridge);
            var hook = inbound ? "INPUT" : "OUTPUT";
            yield return new StepDraft(
                new PlanStep($"esp-guard-jump:{chain}", $"Send every packet through {hook} to {chain} first",
                    EspGuardCommands.Jump("-I", inbound, bridge), EspGuardCommands.Jump("-D", inbound, bridge), EspGuardCommands.Jump("-C", inbound, bridge)),
                $"iptables filter {chain}",
                o => o.FilterRules.Contains(EspGuardCommands.JumpText(inbound, bridge)) ? Observation.Done : Observation.Missing($"no jump from {hook} to {chain}"));
        }
    }
}
