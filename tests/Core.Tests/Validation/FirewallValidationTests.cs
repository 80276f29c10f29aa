using System.Collections.Immutable;
using Superbridge.Core.Model;
using Superbridge.Core.Observed;
using Superbridge.Core.Planning;
using Superbridge.Core.Tests.Observed;
using Superbridge.Core.Tests.Support;
using Superbridge.Core.Validation;

namespace Superbridge.Core.Tests.Validation;

/// <summary>Filters iptables rules cannot open are refused before anything runs, naming the host, table and chain.</summary>
public class FirewallValidationTests
{
    private static ImmutableArray<NftBlockingChain> Chains(string file) => NftRulesetParser.Parse(FixtureFiles.Read("firewall/" + file));

    private static ImmutableArray<string> Lines(string file) => [.. FixtureFiles.Read("firewall/" + file).Split('\n').Where(l => l.Length > 0)];

    /// <summary>A VXLAN segment h1 (router)–h2–h3; <paramref name="host"/> has <paramref name="firewall"/>.</summary>
    private static (SegmentSpec Spec, Dictionary<HostId, HostInfo> Hosts, Dictionary<HostId, ObservedHost> Observed) Scene(string host, HostFirewall firewall)
    {
        var observed = Given.ObservedAll(3);
        observed[host] = observed[host] with { Firewall = firewall };
        return (Given.Segment(Transport.Vxlan, 3), Given.Hosts(3), observed);
    }

    private static HostFirewall Nft(string file, IptablesBackend backend = IptablesBackend.NfTables) =>
        new() { Backend = backend, NftBlockingChains = Chains(file) };

    [Fact]
    public void A_native_nftables_input_drop_on_a_member_is_refused_naming_the_host_table_and_chain()
    {
        var (spec, hosts, observed) = Scene("h2", Nft("nft-drop.nft.json"));

        var error = Assert.Single(SegmentValidator.Validate(spec, hosts, observed));

        Assert.Equal("hosts[h2].firewall", error.Path);
        Assert.Equal(ErrorCode.Conflict, error.Code);
        Assert.Equal("host h2: nftables table inet filter, chain input (policy drop) drops what Superbridge's iptables rules accept; accept the segment's traffic there or remove the chain, then refresh", error.Message);
    }

    [Fact]
    public void On_the_router_the_forward_chain_is_refused_too()
    {
        var (spec, hosts, observed) = Scene("h1", Nft("nft-drop.nft.json"));

        var errors = SegmentValidator.Validate(spec, hosts, observed);

        Assert.Equal(["chain input", "chain forward"], errors.Select(e => e.Message.Split(", ")[1].Split(' ')[0] + " " + e.Message.Split(", ")[1].Split(' ')[1]));
    }

    [Fact]
    public void Firewalld_is_refused_with_what_to_do_in_firewalld()
    {
        var (spec, hosts, observed) = Scene("h3", Nft("firewalld.nft.json"));

        var error = Assert.Single(SegmentValidator.Validate(spec, hosts, observed));

        Assert.StartsWith("host h3: nftables table inet firewalld, chain filter_INPUT (ends in an unconditional reject)", error.Message);
        Assert.Contains("put superbr0 in firewalld's trusted zone", error.Message);
        Assert.DoesNotContain("…", error.Message); // not cut short
    }

    [Fact]
    public void Iptables_nft_own_drop_policy_is_no_refusal_on_an_nf_tables_host_since_our_rules_open_it()
    {
        var (spec, hosts, observed) = Scene("h1", Nft("docker.nft.json"));

        Assert.Empty(SegmentValidator.Validate(spec, hosts, observed));
    }

    [Fact]
    public void Iptables_nft_rules_on_a_host_whose_iptables_is_legacy_are_refused()
    {
        var (spec, hosts, observed) = Scene("h2", Nft("docker.nft.json", IptablesBackend.Legacy));

        var error = Assert.Single(SegmentValidator.Validate(spec, hosts, observed));

        Assert.StartsWith("host h2: iptables-nft's table ip filter, chain INPUT (policy drop)", error.Message);
    }

    [Fact]
    public void Legacy_rules_that_drop_behind_an_nf_tables_iptables_are_refused_where_they_matter()
    {
        var legacy = new HostFirewall { Backend = IptablesBackend.NfTables, OtherBackendFilterRules = Lines("legacy-behind-nft.iptables-legacy-S.txt") };

        // Its FORWARD drops: that stops the router, not a member whose INPUT accepts.
        var (spec, hosts, observed) = Scene("h2", legacy);
        Assert.Empty(SegmentValidator.Validate(spec, hosts, observed));
        (spec, hosts, observed) = Scene("h1", legacy);
        var error = Assert.Single(SegmentValidator.Validate(spec, hosts, observed));

        Assert.Equal("hosts[h1].firewall", error.Path);
        Assert.StartsWith("host h1: legacy iptables table filter, chain FORWARD (FORWARD policy DROP) drops traffic, but `iptables` here is nf_tables", error.Message);
        Assert.DoesNotContain("…", error.Message);
    }

    [Fact]
    public void Plans_are_refused_too_but_teardown_of_such_a_host_is_not()
    {
        var (spec, hosts, observed) = Scene("h2", new HostFirewall());
        var segment = Given.Allocated(spec, hosts, observed: observed);
        observed["h2"] = observed["h2"] with { Firewall = Nft("nft-drop.nft.json") };

        Assert.Contains(SegmentPlanner.Plan(segment, hosts, observed).Errors, e => e.Path == "hosts[h2].firewall");
        Assert.True(SegmentPlanner.PlanTeardown(segment, hosts, observed).IsOk);
    }
}
