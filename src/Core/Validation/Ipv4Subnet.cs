using System.Buffers.Binary;
using System.Globalization;
using System.Net;

namespace Superbridge.Core.Validation;

/// <summary>An IPv4 address with prefix, e.g. the gateway 10.0.2.1/24, with the arithmetic DHCP checks need.</summary>
public readonly record struct Ipv4Subnet(uint Address, int PrefixLength)
{
    public uint Mask => PrefixLength == 0 ? 0 : uint.MaxValue << (32 - PrefixLength);
    public uint Network => Address & Mask;
    public uint Broadcast => Network | ~Mask;

    public bool Contains(uint address) => (address & Mask) == Network;

    public bool Overlaps(Ipv4Subnet other)
    {
        var shorter = Math.Min(PrefixLength, other.PrefixLength);
        var mask = shorter == 0 ? 0 : uint.MaxValue << (32 - shorter);
        return (Address & mask) == (other.Address & mask);
    }

    /// <summary>Network in CIDR form, e.g. 10.0.2.0/24 (what iptables matches on).</summary>
    public string NetworkCidr => $"{Format(Network)}/{PrefixLength}";
    /// <summary>Host address with prefix, e.g. 10.0.2.1/24 (what ip addr takes).</summary>
    public string AddressCidr => $"{Format(Address)}/{PrefixLength}";
    public string AddressText => Format(Address);

    public static bool TryParse(string? text, out Ipv4Subnet subnet)
    {
        subnet = default;
        if (text is null) return false;
        var slash = text.IndexOf('/');
        if (slash < 0) return false;
        var prefixText = text[(slash + 1)..];
        if (prefixText.Length is 0 or > 2 || !prefixText.All(char.IsAsciiDigit) || (prefixText.Length == 2 && prefixText[0] == '0')) return false;
        var prefix = int.Parse(prefixText, CultureInfo.InvariantCulture);
        if (prefix > 32 || !IpAddressRules.TryParseIpv4(text[..slash], out var ip)) return false;
        subnet = new Ipv4Subnet(ToUInt(ip), prefix);
        return true;
    }

    public static uint ToUInt(IPAddress ip) => BinaryPrimitives.ReadUInt32BigEndian(ip.GetAddressBytes());

    public static string Format(uint address) =>
        $"{address >> 24}.{(address >> 16) & 255}.{(address >> 8) & 255}.{address & 255}";
}
