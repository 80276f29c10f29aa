using System.Globalization;
using Superbridge.Core.Model;

namespace Superbridge.Core.Allocation;

/// <summary>
/// Readable, deterministic device names within IFNAMSIZ: <c>sbg-&lt;seg&gt;-&lt;n&gt;</c> (gretap),
/// <c>sbl-…</c> (L2TP session), <c>sbx-…</c> (VXLAN). The segment tag is the first six characters
/// of the segment name, so 3+1+6+1+4 = 15 leaves room for 10,000 devices per host and segment.
/// </summary>
public static class DeviceNamer
{
    public const int TagLength = 6;

    public static string Prefix(Transport transport) => transport switch
    {
        Transport.Gretap => "sbg",
        Transport.L2tpv3Udp or Transport.L2tpv3Ip => "sbl",
        Transport.Vxlan => "sbx",
        _ => throw new ArgumentOutOfRangeException(nameof(transport), transport, null),
    };

    public static string Tag(string segmentName)
    {
        var tag = segmentName.Length <= TagLength ? segmentName : segmentName[..TagLength];
        return tag.TrimEnd('-');
    }

    /// <summary>The n-th candidate name; shortens the tag when n needs more than four digits.</summary>
    public static string Name(Transport transport, string segmentName, int n)
    {
        var number = n.ToString(CultureInfo.InvariantCulture);
        var tag = Tag(segmentName);
        var room = 15 - 3 - 2 - number.Length;
        if (tag.Length > room) tag = tag[..Math.Max(0, room)].TrimEnd('-');
        return tag.Length == 0 ? $"{Prefix(transport)}-{number}" : $"{Prefix(transport)}-{tag}-{number}";
    }
}
