using Superbridge.Core.Observed;

namespace Superbridge.Core.Tests.Observed;

/// <summary>Every parser, fed what a failed or cut-off command leaves behind, says which parser failed and why.</summary>
public class MalformedInputTests
{
    public static TheoryData<string, string, string> JsonParsers()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var (parser, command) in new[]
        {
            ("IpLinkParser", "ip -j -d link show"),
            ("IpAddrParser", "ip -j addr show"),
            ("BridgeLinkParser", "bridge -j link show"),
            ("BridgeFdbParser", "bridge -j fdb show"),
        })
        {
            data.Add(parser, "", $"{parser}: cannot read `{command}` output: the output is empty (expected a JSON array)");
            data.Add(parser, "[{\"ifindex\":1,\"ifname\":\"lo\",\"flags\":[\"LOOP", $"{parser}: cannot read `{command}` output: the output is not valid JSON (line 1, ");
            data.Add(parser, "Object \"link\" is unknown, try \"ip help\".", $"{parser}: cannot read `{command}` output: the output is not valid JSON (line 1, ");
            data.Add(parser, "{\"ifname\":\"lo\"}", $"{parser}: cannot read `{command}` output: expected a JSON array at the top level, found Object");
            data.Add(parser, "[1]", $"{parser}: cannot read `{command}` output: entry 0 is Number, expected an object");
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(JsonParsers))]
    public void Json_parsers_reject_empty_truncated_and_garbage_output_naming_themselves(string parser, string output, string expectedStart)
    {
        Func<object> parse = parser switch
        {
            "IpLinkParser" => () => IpLinkParser.Parse(output),
            "IpAddrParser" => () => IpAddrParser.Parse(output),
            "BridgeLinkParser" => () => BridgeLinkParser.Parse(output),
            "BridgeFdbParser" => () => BridgeFdbParser.Parse(output),
            _ => throw new ArgumentOutOfRangeException(nameof(parser)),
        };

        var error = Assert.Throws<ObservedParseException>(() => parse());

        Assert.StartsWith(expectedStart, error.Message);
        Assert.Equal(parser, error.Parser);
    }

    [Fact]
    public void Truncated_json_keeps_the_json_error_as_inner_exception()
    {
        var truncated = FixtureFiles.Read("ip-link/netns-bridge-veth-vxlan-container.json")[..500];

        var error = Assert.Throws<ObservedParseException>(() => IpLinkParser.Parse(truncated));

        Assert.IsAssignableFrom<System.Text.Json.JsonException>(error.InnerException);
    }

    public static TheoryData<string, string> TextParsersOnGarbage() => new()
    {
        { "L2tpParser", "\u0001\u0002 binary junk" },
        { "LxcLsParser", "lxc-ls: error: unrecognized arguments: -F" },
        { "LxcInfoParser", "" },
        { "LxcConfigParser", "garbage without equals" },
        { "IptablesRulesParser", "" },
        { "DnsmasqProcessParser", "garbage" },
        { "KernelFeatureProbeParser", "" },
        { "SystemInfoParser", "" },
        { "SwanctlSasParser", "plugin 'ldap': failed to load - ldap_plugin_create not found and no plugin file available" },
    };

    [Theory]
    [MemberData(nameof(TextParsersOnGarbage))]
    public void Text_parsers_reject_garbage_naming_themselves(string parser, string output)
    {
        Action parse = parser switch
        {
            "L2tpParser" => () => L2tpParser.ParseTunnels(output),
            "LxcLsParser" => () => LxcLsParser.Parse(output),
            "LxcInfoParser" => () => LxcInfoParser.Parse(output),
            "LxcConfigParser" => () => LxcConfigParser.ConfiguredLink(output),
            "IptablesRulesParser" => () => IptablesRulesParser.Parse(output, IptablesRulesParser.NatCommand),
            "DnsmasqProcessParser" => () => DnsmasqProcessParser.Parse(output),
            "KernelFeatureProbeParser" => () => KernelFeatureProbeParser.Parse(output),
            "SystemInfoParser" => () => SystemInfoParser.KernelRelease(output),
            "SwanctlSasParser" => () => SwanctlSasParser.Parse(output),
            _ => throw new ArgumentOutOfRangeException(nameof(parser)),
        };

        var error = Assert.Throws<ObservedParseException>(parse);

        Assert.StartsWith(parser + ": cannot read `", error.Message);
        Assert.Equal(parser, error.Parser);
    }
}
