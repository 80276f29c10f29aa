using Superbridge.Core.Observed;

namespace Superbridge.Core.Tests.Observed;

/// <summary>Reading a host's filters from captured outputs (Fixtures/firewall, made by its capture.sh).</summary>
public class FirewallParserTests
{
    private static string[] Lines(string file) => [.. FixtureFiles.Read("firewall/" + file).Split('\n').Where(l => l.Length > 0)];

    [Theory]
    [InlineData("docker.iptables-V.txt", IptablesBackend.NfTables)]
    [InlineData("legacy-behind-nft.iptables-legacy-V.txt", IptablesBackend.Legacy)]
    public void The_backend_is_read_from_iptables_version(string file, IptablesBackend expected) =>
        Assert.Equal(expected, IptablesVersionParser.Parse(FixtureFiles.Read("firewall/" + file)));

    [Fact]
    public void An_iptables_version_line_without_a_backend_is_rejected_naming_the_command()
    {
        var e = Assert.Throws<ObservedParseException>(() => IptablesVersionParser.Parse("sh: 1: iptables: not found"));
        Assert.Contains("iptables -V", e.Message);
    }

    [Fact]
    public void A_native_nftables_drop_ruleset_gives_its_input_and_forward_chains_with_policy_drop()
    {
        var chains = NftRulesetParser.Parse(FixtureFiles.Read("firewall/nft-drop.nft.json"));

        Assert.Equal(
            [new NftBlockingChain("inet", "filter", "input", "input", "policy drop"), new NftBlockingChain("inet", "filter", "forward", "forward", "policy drop")],
            chains.ToArray());
        Assert.All(chains, c => Assert.False(c.IsIptablesNftTable));
    }

    [Fact]
    public void Firewalld_chains_that_accept_by_policy_but_end_in_a_reject_count_as_dropping()
    {
        var chains = NftRulesetParser.Parse(FixtureFiles.Read("firewall/firewalld.nft.json"));

        Assert.Equal(["filter_INPUT", "filter_FORWARD"], chains.Select(c => c.Chain));
        Assert.All(chains, c => Assert.Equal("ends in an unconditional reject", c.Reason));
        Assert.All(chains, c => Assert.Equal(("inet", "firewalld"), (c.Family, c.Table)));
    }

    [Fact]
    public void Iptables_nft_rules_show_in_the_ruleset_as_iptables_own_table()
    {
        var chains = NftRulesetParser.Parse(FixtureFiles.Read("firewall/docker.nft.json"));

        Assert.Equal(["INPUT", "FORWARD"], chains.Select(c => c.Chain));
        Assert.All(chains, c => Assert.True(c.IsIptablesNftTable));
    }

    [Fact]
    public void An_empty_ruleset_has_no_dropping_chain() =>
        Assert.Empty(NftRulesetParser.Parse(FixtureFiles.Read("firewall/plain.nft.json")));

    [Fact]
    public void A_ruleset_that_is_not_nft_json_is_rejected_naming_the_command()
    {
        var e = Assert.Throws<ObservedParseException>(() => NftRulesetParser.Parse("[]"));
        Assert.Contains("nft -j list ruleset", e.Message);
    }

    [Theory]
    [InlineData("docker.iptables-S.txt", "INPUT", "INPUT policy DROP")]
    [InlineData("docker.iptables-S.txt", "FORWARD", "FORWARD policy DROP")]
    [InlineData("reject.iptables-S.txt", "INPUT", "REJECT in INPUT")]
    [InlineData("reject.iptables-S.txt", "FORWARD", "REJECT in FORWARD")]
    [InlineData("legacy-behind-nft.iptables-legacy-S.txt", "FORWARD", "FORWARD policy DROP")]
    public void A_built_in_chain_filters_by_its_policy_or_by_a_drop_or_reject_rule(string file, string chain, string reason) =>
        Assert.Equal(reason, FilterTable.From(Lines(file)).Blocks(chain));

    [Theory]
    [InlineData("plain.iptables-S.txt", "INPUT")]
    [InlineData("plain.iptables-S.txt", "FORWARD")]
    [InlineData("legacy-behind-nft.iptables-legacy-S.txt", "INPUT")]
    public void A_chain_that_accepts_by_policy_and_drops_nothing_does_not_filter(string file, string chain) =>
        Assert.Null(FilterTable.From(Lines(file)).Blocks(chain));

    [Fact]
    public void Superbridge_own_drop_rules_never_make_the_host_count_as_filtering()
    {
        // The plaintext guard of an encrypted segment drops in SB-ESP-IN-superbr0, jumped to from INPUT.
        var guard = FixtureFiles.Read("iptables-filter/vxlan-two-peers.txt").Split('\n').Where(l => l.Length > 0).ToList();
        Assert.Contains(guard, l => l.StartsWith("-A SB-ESP-IN-superbr0", StringComparison.Ordinal) && l.EndsWith("-j DROP", StringComparison.Ordinal));

        Assert.Null(FilterTable.From(guard).Blocks("INPUT"));
    }

    [Fact]
    public void A_drop_in_a_chain_the_built_in_chain_jumps_to_counts()
    {
        // Docker's DOCKER-ISOLATION-STAGE-2 drops, reached from FORWARD through STAGE-1; here FORWARD's policy accepts.
        var lines = Lines("docker.iptables-S.txt").Select(l => l == "-P FORWARD DROP" ? "-P FORWARD ACCEPT" : l);

        Assert.Equal("DROP in DOCKER-ISOLATION-STAGE-2", FilterTable.From(lines).Blocks("FORWARD"));
    }
}
