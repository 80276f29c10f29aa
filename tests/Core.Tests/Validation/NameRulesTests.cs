using Superbridge.Core.Validation;

namespace Superbridge.Core.Tests.Validation;

public class NameRulesTests
{
    [Theory]
    [InlineData("superbr0")]
    [InlineData("eth0")]
    [InlineData("sbg-lan-0")]
    [InlineData("br_0.100")]
    [InlineData("abcdefghijklmno")] // 15
    public void Accepts_interface_names(string name) => Assert.Null(NameRules.InterfaceProblem(name));

    [Theory]
    [InlineData("")]
    [InlineData("abcdefghijklmnop")] // 16
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("a/b")]
    [InlineData("a:b")]
    [InlineData("a b")]
    [InlineData("a\tb")]
    [InlineData("a\nb")]
    [InlineData("-n")]
    [InlineData(".hidden")]
    [InlineData("br;reboot")]
    [InlineData("$(id)")]
    [InlineData("brü")]
    [InlineData("help")]
    [InlineData("dev")]
    public void Rejects_interface_names(string name) => Assert.NotNull(NameRules.InterfaceProblem(name));

    [Theory]
    [InlineData("12h", true)]
    [InlineData("45m", true)]
    [InlineData("3600", true)]
    [InlineData("2d", true)]
    [InlineData("1w", true)]
    [InlineData("infinite", true)]
    [InlineData("2m", true)]
    [InlineData("1m", false)] // below dnsmasq's minimum
    [InlineData("119", false)]
    [InlineData("12H", false)]
    [InlineData("12 h", false)]
    [InlineData("0", false)]
    [InlineData("-1h", false)]
    [InlineData("12h,", false)]
    [InlineData("", false)]
    public void Lease_time_format(string lease, bool ok) => Assert.Equal(ok, NameRules.LeaseTimeProblem(lease) is null);

    [Theory]
    [InlineData("0123abcd", true)]
    [InlineData("0123ABCD0123abcd", true)]
    [InlineData("0123abc", false)]
    [InlineData("0123abcd0", false)]
    [InlineData("0123abcg", false)]
    [InlineData("0x123abc", false)]
    public void Cookies_are_8_or_16_hex_digits(string cookie, bool ok) => Assert.Equal(ok, NameRules.CookieProblem(cookie) is null);

    [Theory]
    [InlineData("/var/lib/lxc", true)]
    [InlineData("/srv/lxc-2", true)]
    [InlineData("var/lib/lxc", false)]
    [InlineData("/srv/../etc", false)]
    [InlineData("/srv/lx c", false)]
    [InlineData("/srv/$(id)", false)]
    public void Lxc_path(string path, bool ok) => Assert.Equal(ok, NameRules.PathProblem(path) is null);
}

public class IpAddressRulesTests
{
    [Theory]
    [InlineData("1.1.1.1")]
    [InlineData("192.168.0.10")]
    [InlineData("255.255.255.254")]
    [InlineData("2001:db8::1")]
    [InlineData("fe80::1")]
    [InlineData("::ffff:1.2.3.4")]
    public void Accepts_strict_addresses(string address) => Assert.True(IpAddressRules.TryParse(address, out _));

    [Theory]
    [InlineData("1.1.1.1.")] // the guide's "local 1.1.1.1."
    [InlineData("1.1.1")]
    [InlineData("1")]
    [InlineData("01.1.1.1")]
    [InlineData("0x7f.0.0.1")]
    [InlineData("256.1.1.1")]
    [InlineData(" 1.1.1.1")]
    [InlineData("1.1.1.1 ")]
    [InlineData("1.1.1.1\n")]
    [InlineData("1.1.1.1/24")]
    [InlineData("fe80::1%eth0")]
    [InlineData("[2001:db8::1]")]
    [InlineData("2001:db8::1::2")]
    [InlineData("1.1.1.1;reboot")]
    [InlineData("")]
    public void Rejects_stray_characters(string address) => Assert.False(IpAddressRules.TryParse(address, out _));

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("127.0.0.1")]
    [InlineData("224.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("::")]
    [InlineData("::1")]
    [InlineData("ff02::1")]
    public void Rejects_unusable_tunnel_endpoints(string address) => Assert.NotNull(IpAddressRules.EndpointProblem(address));
}
