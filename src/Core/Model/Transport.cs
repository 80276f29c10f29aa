using System.Text.Json.Serialization;

namespace Superbridge.Core.Model;

/// <summary>How a segment carries Ethernet frames between hosts. JSON uses the API wire names.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Transport>))]
public enum Transport
{
    [JsonStringEnumMemberName("gretap")] Gretap,
    [JsonStringEnumMemberName("l2tpv3-udp")] L2tpv3Udp,
    [JsonStringEnumMemberName("l2tpv3-ip")] L2tpv3Ip,
    [JsonStringEnumMemberName("vxlan")] Vxlan,
}

public static class TransportNames
{
    public static string ToWire(this Transport transport) => transport switch
    {
        Transport.Gretap => "gretap",
        Transport.L2tpv3Udp => "l2tpv3-udp",
        Transport.L2tpv3Ip => "l2tpv3-ip",
        Transport.Vxlan => "vxlan",
        _ => throw new ArgumentOutOfRangeException(nameof(transport), transport, null),
    };

    public static bool TryParse(string? wire, out Transport transport)
    {
        switch (wire)
        {
            case "gretap": transport = Transport.Gretap; return true;
            case "l2tpv3-udp": transport = Transport.L2tpv3Udp; return true;
            case "l2tpv3-ip": transport = Transport.L2tpv3Ip; return true;
            case "vxlan": transport = Transport.Vxlan; return true;
            default: transport = default; return false;
        }
    }

    /// <summary>Point-to-point transports need one tunnel per link, so their links must form a tree (or use STP).</summary>
    public static bool IsPointToPoint(this Transport transport) => transport != Transport.Vxlan;

    public static bool IsL2tp(this Transport transport) => transport is Transport.L2tpv3Udp or Transport.L2tpv3Ip;
}
