using Superbridge.Core.Observed;

namespace Superbridge.Core.Tests.Observed;

public class IptablesRulesParserTests
{
    private static readonly System.Collections.Immutable.ImmutableArray<IptablesRule> Rules =
        IptablesRulesParser.Parse(FixtureFiles.Read("iptables-nat/masquerade-rules.txt"), IptablesRulesParser.NatCommand);

    [Fact]
    public void Append_lines_become_rules_and_the_policy_line_is_skipped()
    {
        Assert.Equal(3, Rules.Length);
        Assert.All(Rules, r => Assert.Equal("POSTROUTING", r.Chain));
    }

    [Fact]
    public void Masquerade_rule_with_negated_out_interface_is_read()
    {
        var rule = Rules[0];

        Assert.Equal("10.77.0.0/24", rule.Source);
        Assert.False(rule.SourceNegated);
        Assert.Equal("sbcap-br0", rule.OutInterface);
        Assert.True(rule.OutInterfaceNegated);
        Assert.Equal("MASQUERADE", rule.Target);
        Assert.Equal("-A POSTROUTING -s 10.77.0.0/24 ! -o sbcap-br0 -j MASQUERADE", rule.Line);
    }

    [Fact]
    public void Quoted_comment_is_one_argument()
    {
        var rule = Rules[1];

        Assert.Equal("superbridge seg-2 nat", rule.Comment);
        Assert.Equal("sbcap-u0", rule.OutInterface);
        Assert.False(rule.OutInterfaceNegated);
        Assert.Equal(["-s", "10.78.0.0/24", "-o", "sbcap-u0", "-m", "comment", "--comment", "superbridge seg-2 nat", "-j", "MASQUERADE"], rule.Arguments.ToArray());
    }

    [Theory]
    [InlineData("10.77.0.0/24", true)]
    [InlineData("10.77.0.1/24", true)]
    [InlineData("10.78.0.0/24", true)]
    [InlineData("10.77.0.0/16", false)]
    [InlineData("10.79.0.0/16", false)]
    public void Has_masquerade_matches_the_source_network(string source, bool expected)
    {
        Assert.Equal(expected, IptablesRulesParser.HasMasquerade(Rules, source));
    }

    [Fact]
    public void Has_masquerade_works_on_the_verbatim_lines_kept_in_observed_host()
    {
        var lines = FixtureFiles.Read("iptables-nat/masquerade-rules.txt").TrimEnd('\n').Split('\n');

        Assert.True(IptablesRulesParser.HasMasquerade(lines, "10.77.0.0/24"));
    }

    [Fact]
    public void Empty_chain_has_no_rules_and_no_masquerade()
    {
        var rules = IptablesRulesParser.Parse(FixtureFiles.Read("iptables-nat/empty-chain.txt"), IptablesRulesParser.NatCommand);

        Assert.Empty(rules);
        Assert.False(IptablesRulesParser.HasMasquerade(rules, "10.77.0.0/24"));
    }

    [Fact]
    public void Negated_source_is_not_a_masquerade_for_that_network()
    {
        var rules = IptablesRulesParser.Parse("-P POSTROUTING ACCEPT\n-A POSTROUTING ! -s 10.77.0.0/24 -j MASQUERADE\n", IptablesRulesParser.NatCommand);

        Assert.True(rules[0].SourceNegated);
        Assert.False(IptablesRulesParser.HasMasquerade(rules, "10.77.0.0/24"));
    }

    [Fact]
    public void Host_source_without_prefix_is_a_32_bit_network()
    {
        var rules = IptablesRulesParser.Parse("-A POSTROUTING -s 192.0.2.7 -j MASQUERADE\n", IptablesRulesParser.NatCommand);

        Assert.True(IptablesRulesParser.HasMasquerade(rules, "192.0.2.7/32"));
    }

    [Fact]
    public void Error_text_instead_of_rules_is_rejected_with_its_line()
    {
        var error = Assert.Throws<ObservedParseException>(() =>
            IptablesRulesParser.Parse("iptables v1.8.9 (nf_tables): chain `POSTROUTING' in table `nat' is incompatible, use 'nft' tool.\n", IptablesRulesParser.NatCommand));

        Assert.StartsWith("IptablesRulesParser: cannot read `iptables -t nat -S` output: line 1: expected a line starting with -P, -N or -A", error.Message);
    }

    [Fact]
    public void Unterminated_quote_is_rejected()
    {
        var error = Assert.Throws<ObservedParseException>(() => IptablesRulesParser.Parse("-A POSTROUTING -m comment --comment \"half -j MASQUERADE\n", IptablesRulesParser.NatCommand));

        Assert.Contains("line 1: unterminated quote", error.Message);
    }
}
