using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Superbridge.Core.Validation;

/// <summary>
/// Strict address parsing. <see cref="IPAddress.TryParse(string, out IPAddress)"/> alone accepts
/// "1", "1.1", "0x7f.1", zone ids and brackets; here only dotted-quad IPv4 without leading zeros and
/// plain IPv6 pass, so "1.1.1.1." (the guide's typo) is refused.
/// </summary>
public static partial class IpAddressRules
{
    [GeneratedRegex(@"^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}\z")]
    private static partial Regex Ipv4Regex();

    [GeneratedRegex(@"^[0-9A-Fa-f:.]{2,45}\z")]
    private static partial Regex Ipv6CharsRegex();

    public static bool TryParse(string? text, out IPAddress address)
    {
        address = IPAddress.None;
        if (string.IsNullOrEmpty(text)) return false;
        if (Ipv4Regex().IsMatch(text))
        {
            address = IPAddress.Parse(text);
            return true;
        }
        if (text.Contains(':') && Ipv6CharsRegex().IsMatch(text)
            && IPAddress.TryParse(text, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6)
        {
            address = v6;
            return true;
        }
        return false;
    }

    public static bool TryParseIpv4(string? text, out IPAddress address) =>
        TryParse(text, out address) && address.AddressFamily == AddressFamily.InterNetwork;

    /// <summary>Usable as a tunnel endpoint: not unspecified, loopback, multicast or broadcast.</summary>
    public static string? EndpointProblem(string? text)
    {
        if (!TryParse(text, out var ip)) return $"'{Shorten(text)}' is not an IPv4 or IPv6 address";
        if (ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any)) return "cannot be the unspecified address";
        if (IPAddress.IsLoopback(ip)) return "cannot be a loopback address";
        if (ip.Equals(IPAddress.Broadcast)) return "cannot be the broadcast address";
        if (ip.AddressFamily == AddressFamily.InterNetwork ? ip.GetAddressBytes()[0] >= 224 : ip.IsIPv6Multicast)
            return "cannot be a multicast or reserved address";
        return null;
    }

    /// <summary>Keeps hostile input short inside messages.</summary>
    internal static string Shorten(string? text)
    {
        if (text is null) return "";
        var clean = new string(text.Take(40).Select(c => char.IsControl(c) ? '?' : c).ToArray());
        return text.Length > 40 ? clean + "…" : clean;
    }
}
