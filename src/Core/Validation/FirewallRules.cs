using Superbridge.Core.Model;
using Superbridge.Core.Observed;

namespace Superbridge.Core.Validation;

/// <summary>
/// Filters Superbridge cannot open with its iptables rules, refused before anything runs: an nftables chain that drops
/// on input (every member: the tunnel arrives there) or forward (the router: the subnet is routed there) in a table
/// that is not the one <c>iptables</c> writes to, and the same in the other iptables backend's filter table. A packet
/// has to pass every one of them, so an ACCEPT of ours elsewhere does not help. Observed hosts only.
/// </summary>
internal static class FirewallRules
{
    public static void Check(SegmentSpec spec, IReadOnlyDictionary<HostId, ObservedHost>? observed, ErrorList errors)
    {
        if (observed is null) return;
        foreach (var member in spec.Members.Distinct())
        {
            if (!observed.TryGetValue(member, out var host)) continue;
            var path = $"hosts[{member}].firewall";
            var hooks = spec.Router?.Host == member ? new[] { "input", "forward" } : ["input"];
            var firewall = host.Firewall;
            foreach (var chain in firewall.NftBlockingChains.Where(c => hooks.Contains(c.Hook)))
            {
                if (firewall.Backend == IptablesBackend.NfTables && chain.IsIptablesNftTable) continue; // ours to open: FilterRules shows it
                var owner = chain.IsIptablesNftTable ? "iptables-nft's" : "nftables";
                var fix = chain.Table == "firewalld"
                    ? $"put {spec.Bridge} in firewalld's trusted zone and allow the tunnel from the peers"
                    : "accept the segment's traffic there or remove the chain";
                errors.Add(path, ErrorCode.Conflict,
                    $"host {member}: {owner} table {chain.Family} {chain.Table}, chain {chain.Chain} ({chain.Reason}) drops what Superbridge's iptables rules accept; {fix}, then refresh");
            }
            if (firewall.Backend == IptablesBackend.NfTables && !firewall.OtherBackendFilterRules.IsEmpty)
            {
                var legacy = FilterTable.From(firewall.OtherBackendFilterRules);
                foreach (var hook in hooks.Select(h => h.ToUpperInvariant()))
                    if (legacy.Blocks(hook) is { } reason)
                        errors.Add(path, ErrorCode.Conflict,
                            $"host {member}: legacy iptables table filter, chain {hook} ({reason}) drops traffic, but `iptables` here is nf_tables, so Superbridge's rules cannot open it; move those rules to iptables-nft or delete them, then refresh");
            }
        }
    }
}
