using System.Text.RegularExpressions;
using Superbridge.Core.Mtu;
using Superbridge.Core.Observed;

namespace Superbridge.Core.Tests.Observed;

public class IpsecFactsParserTests
{
    private const string SandboxNoEsp = "ipsec/sandbox-no-esp-charon-stopped.txt";
    private const string VmWithEsp = "ipsec/vm-debian-esp-charon-running.txt";

    private static string FeatureLines(params string[] lacking) =>
        string.Concat(EspKernelProbe.Pieces.Select(p => lacking.Contains(p.Feature) ? $"feature {p.Feature} no config-unset\n" : $"feature {p.Feature} yes module\n"));

    private static IpsecFacts Ready(EspKernelSupport kernel) => new IpsecFacts(Swanctl: true, Xfrm: true, CharonRunning: true) { Kernel = kernel };

    private static EspKernelSupport Lacking(params string[] features) => new([.. EspKernelProbe.Pieces.Where(p => features.Contains(p.Feature))]);

    [Fact]
    public void A_kernel_with_xfrm_but_no_esp_is_missing_esp_named_by_module_and_option()
    {
        var facts = IpsecFactsParser.Parse(FixtureFiles.Read(SandboxNoEsp));

        Assert.True(facts.Xfrm);
        Assert.False(facts.Kernel.Esp);
        Assert.Equal(
            "the kernel has no ESP: module esp4 (CONFIG_INET_ESP) is missing; strongSwan's charon is not running (systemctl start strongswan)",
            facts.Missing);
    }

    [Fact]
    public void The_sandbox_kernel_lacks_gcm_and_authenc_so_it_has_neither_proposal()
    {
        var facts = IpsecFactsParser.Parse(FixtureFiles.Read(SandboxNoEsp));

        Assert.Equal(["esp", "gcm", "authenc"], facts.Kernel.Lacking.Select(p => p.Feature));
        Assert.Empty(facts.Kernel.Proposals);
    }

    [Fact]
    public void Installed_swanctl_with_charon_stopped_gives_swanctls_version()
    {
        var facts = IpsecFactsParser.Parse(FixtureFiles.Read(SandboxNoEsp));

        Assert.Equal((true, false, "5.9.8"), (facts.Swanctl, facts.CharonRunning, facts.Version));
    }

    [Fact]
    public void Debians_kernel_with_charon_running_lacks_nothing_and_offers_both_proposals()
    {
        var facts = IpsecFactsParser.Parse(FixtureFiles.Read(VmWithEsp));

        Assert.Null(facts.Missing);
        Assert.Empty(facts.Kernel.Lacking);
        Assert.Equal(MtuCalculator.EspProposals.Select(p => p.Name), facts.Kernel.Proposals);
    }

    [Fact]
    public void A_running_daemon_gives_its_version()
    {
        var facts = IpsecFactsParser.Parse(FixtureFiles.Read(VmWithEsp));

        Assert.Equal((true, true, "5.9.8"), (facts.Swanctl, facts.CharonRunning, facts.Version));
    }

    [Fact]
    public void A_host_without_strongswan_has_no_version_and_is_told_the_debian_packages()
    {
        var facts = IpsecFactsParser.Parse("swanctl=no\ncharon=-\nversion=\nxfrm=yes\n" + FeatureLines());

        Assert.Null(facts.Version);
        Assert.Equal("strongSwan is not installed (Debian: apt install strongswan-swanctl charon-systemd)", facts.Missing);
    }

    [Fact]
    public void Esp_without_either_proposals_algorithms_names_what_each_proposal_lacks()
    {
        Assert.Equal(
            "the kernel has the algorithms of neither ESP proposal: AES-GCM lacks module gcm (CONFIG_CRYPTO_GCM), "
            + "AES-CBC with HMAC-SHA-256 lacks module authenc (CONFIG_CRYPTO_AUTHENC) and module sha256_generic (CONFIG_CRYPTO_SHA256)",
            Ready(Lacking("gcm", "authenc", "sha256")).Missing);
    }

    [Theory]
    [InlineData("gcm", "aes256-sha256")]
    [InlineData("authenc", "aes256gcm16")]
    public void One_proposals_algorithms_are_enough(string lacking, string usable)
    {
        var facts = Ready(Lacking(lacking));

        Assert.Null(facts.Missing);
        Assert.Equal([usable], facts.Kernel.Proposals);
    }

    [Fact]
    public void A_host_never_read_lacks_both_the_kernels_part_and_strongswan()
    {
        Assert.Equal("the kernel has no xfrm (IPsec); strongSwan is not installed (Debian: apt install strongswan-swanctl charon-systemd)", IpsecFacts.Unknown.Missing);
    }

    [Fact]
    public void The_probed_proposals_are_the_ones_superbridge_proposes()
    {
        Assert.Equal(MtuCalculator.EspProposals.Select(p => p.Name), EspKernelProbe.Proposals.Select(p => p.Proposal));
        Assert.All(EspKernelProbe.Proposals.SelectMany(p => p.Pieces), feature => Assert.Contains(feature, EspKernelProbe.Pieces.Select(p => p.Feature)));
    }

    [Fact]
    public void The_feature_probes_config_pattern_reads_every_esp_option()
    {
        var pattern = Regex.Match(KernelFeatureProbeParser.ProbeScript, "p='([^']+)'").Groups[1].Value;

        Assert.All(EspKernelProbe.Pieces, piece => Assert.Matches(pattern, $"{piece.Config}=m"));
    }

    [Theory]
    [InlineData("swanctl=yes\ncharon=stopped\nxfrm=yes\n", "no line for version=, feature esp, feature aes, feature gcm, feature cbc, feature authenc, feature hmac, feature sha256 (output cut short?)")]
    [InlineData("swanctl=maybe\ncharon=stopped\nversion=\nxfrm=yes\n{features}", "swanctl: expected yes, no, found \"maybe\"")]
    [InlineData("swanctl=yes\ncharon=up\nversion=\nxfrm=yes\n{features}", "charon: expected running, stopped, -, found \"up\"")]
    [InlineData("swanctl=yes\ncharon=stopped\nversion=Linux strongSwan U5.9.8\nxfrm=yes\n{features}", "version: expected \"strongSwan VERSION ...\", found \"Linux strongSwan U5.9.8\"")]
    [InlineData("swanctl=yes\ncharon=stopped\nversion=\nxfrm=yes\nfeature esp maybe loaded\n", "line 5: expected \"feature NAME yes|no|unknown HOW\", found \"feature esp maybe loaded\"")]
    [InlineData("swanctl=yes\nconnecting to 'unix:///var/run/charon.vici' failed\n", "line 2: expected key=value or \"feature NAME yes|no|unknown HOW\", found \"connecting to 'unix:///var/run/charon.vici' failed\"")]
    public void Malformed_output_is_rejected_saying_what_was_expected(string output, string problem)
    {
        var error = Assert.Throws<ObservedParseException>(() => IpsecFactsParser.Parse(output.Replace("{features}", FeatureLines())));

        Assert.Equal($"IpsecFactsParser: cannot read `{IpsecFactsParser.Command}` output: {problem}", error.Message);
    }
}
