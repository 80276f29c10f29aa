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
    public static int TunnelMtu(int underlayMtu, Transport transport, AddressFamily family, int cookieBytes = 0, bool greKey = true,
        Encryption encryption = Encryption.None)
    {
        if (encryption == Encryption.None) return underlayMtu - Overhead(transport, family, cookieBytes, greKey);
        // Transport mode keeps the outer IP header; ESP wraps what follows it (the tunnel's own headers and the frame).
        var outerIp = family == AddressFamily.InterNetworkV6 ? Ipv6Header : Ipv4Header;
        var tunnelHeaders = Overhead(transport, family, cookieBytes, greKey) - outerIp;
        return EspProposals.Min(p => p.MaxPayload(underlayMtu - outerIp)) - tunnelHeaders;
    }

    /// <summary>
    /// The ESP transforms Superbridge proposes (RFC 4303): AES-GCM with a 16-byte ICV (RFC 4106), and AES-CBC with
    /// HMAC-SHA-256-128 (RFC 3602, RFC 4868) as the fallback for kernels built without AES-GCM. The segment MTU fits the larger overhead,
    /// whichever the peers agree on.
    /// </summary>
    public static IReadOnlyList<EspTransform> EspProposals { get; } =
    [
        new("aes256gcm16", IvBytes: 8, IcvBytes: 16, BlockBytes: 4),
        new("aes256-sha256", IvBytes: 16, IcvBytes: 16, BlockBytes: 16),
    ];

    public static int CookieBytes(string? cookie) => cookie is null ? 0 : cookie.Length / 2;
}

/// <summary>One ESP transform's sizes: IV and ICV, and the block the payload plus its 2-byte trailer is padded to.</summary>
public sealed record EspTransform(string Name, int IvBytes, int IcvBytes, int BlockBytes)
{
    private const int SpiAndSequence = 8; // RFC 4303 §2.1, §2.2

    /// <summary>Largest payload (after the outer IP header) that fits <paramref name="afterIp"/> bytes once encrypted.</summary>
    public int MaxPayload(int afterIp)
    {
        var room = afterIp - SpiAndSequence - IvBytes - IcvBytes;
        return room / BlockBytes * BlockBytes - 2; // pad length and next header (RFC 4303 §2.4-2.6)
    }
}
