using System.Net.Sockets;
using Superbridge.Core.Model;

namespace Superbridge.Core.Mtu;

/// <summary>
/// Bytes a transport adds around an inner Ethernet frame, counted against the underlay MTU (which
/// covers the outer IP header onwards). Figures and sources: docs/mtu.md.
/// </summary>
public static class MtuCalculator
{
    private const int Ipv4Header = 20;   // RFC 791, no options
    private const int Ipv6Header = 40;   // RFC 8200, no extension headers
    private const int InnerEthernet = 14; // the bridged frame's MAC header (no FCS, no VLAN tag)
    private const int GreBase = 4;        // RFC 2784 flags + protocol type
    private const int GreKey = 4;         // RFC 2890 key field
    private const int Udp = 8;            // RFC 768
    private const int VxlanHeader = 8;    // RFC 7348
    private const int L2tpUdpHeader = 8;  // RFC 3931 §4.1.2.1: flags/version/reserved (4) + session id (4)
    private const int L2tpIpHeader = 4;   // RFC 3931 §4.1.1.1: session id only
    private const int L2SpecificSublayer = 4; // RFC 3931 §4.6 default sublayer; Linux l2spec_type default

    /// <summary>Smallest MTU we will configure: IPv4's minimum datagram size every host must accept (RFC 791).</summary>
    public const int MinimumSegmentMtu = 576;

    /// <param name="cookieBytes">0, 4 or 8 (the L2TPv3 cookie; 8 or 16 hex digits).</param>
    /// <param name="greKey">Whether the GRE header carries a key (Superbridge always writes one).</param>
    public static int Overhead(Transport transport, AddressFamily family, int cookieBytes = 0, bool greKey = true)
    {
        var outerIp = family == AddressFamily.InterNetworkV6 ? Ipv6Header : Ipv4Header;
        return transport switch
        {
            Transport.Gretap => outerIp + GreBase + (greKey ? GreKey : 0) + InnerEthernet,
            Transport.Vxlan => outerIp + Udp + VxlanHeader + InnerEthernet,
            Transport.L2tpv3Udp => outerIp + Udp + L2tpUdpHeader + cookieBytes + L2SpecificSublayer + InnerEthernet,
            Transport.L2tpv3Ip => outerIp + L2tpIpHeader + cookieBytes + L2SpecificSublayer + InnerEthernet,
            _ => throw new ArgumentOutOfRangeException(nameof(transport), transport, null),
        };
    }

    /// <summary>Largest inner MTU that fits an underlay MTU without fragmenting the outer packet.</summary>
    public static int TunnelMtu(int underlayMtu, Transport transport, AddressFamily family, int cookieBytes = 0, bool greKey = true) =>
        underlayMtu - Overhead(transport, family, cookieBytes, greKey);

    public static int CookieBytes(string? cookie) => cookie is null ? 0 : cookie.Length / 2;
}
