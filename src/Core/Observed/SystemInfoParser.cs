using System.Text.RegularExpressions;

namespace Superbridge.Core.Observed;

/// <summary>Small one-line outputs: <c>sysctl -n net.ipv4.ip_forward</c>, <c>uname -r</c>, <c>ip -V</c>.</summary>
public static partial class SystemInfoParser
{
    /// <summary>"0" or "1" from <c>sysctl -n net.ipv4.ip_forward</c>.</summary>
    public static string IpForward(string output)
    {
        var value = (output ?? "").Trim();
        return value is "0" or "1"
            ? value
            : throw new ObservedParseException(nameof(SystemInfoParser), "sysctl -n net.ipv4.ip_forward", $"expected 0 or 1, found \"{Shorten(value)}\"");
    }

    /// <summary>The release from <c>uname -r</c>, e.g. "6.18.44-fc-v595".</summary>
    public static string KernelRelease(string output)
    {
        var value = (output ?? "").Trim();
        return value.Length > 0 && !value.Any(char.IsWhiteSpace)
            ? value
            : throw new ObservedParseException(nameof(SystemInfoParser), "uname -r", $"expected one word, found \"{Shorten(value)}\"");
    }

    /// <summary>
    /// The version from <c>ip -V</c>: "ip utility, iproute2-6.1.0, libbpf 1.1.2" gives "6.1.0"; old snapshot
    /// builds ("ip utility, iproute2-ss200127") give "ss200127".
    /// </summary>
    public static string IprouteVersion(string output)
    {
        var match = IprouteVersionPattern().Match(output ?? "");
        return match.Success
            ? match.Groups[1].Value
            : throw new ObservedParseException(nameof(SystemInfoParser), "ip -V", $"no \"iproute2-VERSION\" in \"{Shorten((output ?? "").Trim())}\"");
    }

    private static string Shorten(string value) => value.Length <= 60 ? value : value[..60] + "...";

    [GeneratedRegex(@"iproute2-(v?[0-9A-Za-z][0-9A-Za-z.\-]*?)(?:,|\s|$)")]
    private static partial Regex IprouteVersionPattern();
}
