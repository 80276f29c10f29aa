using System.Net.Sockets;
using Superbridge.Core.Model;

namespace Superbridge.Core.Mtu;

/// <summary>
/// One direction of an underlay path a segment's tunnels cross: from <see cref="From"/>'s <see cref="LocalAddress"/> to
/// <see cref="To"/>'s <see cref="RemoteAddress"/>. <see cref="InterfaceMtu"/> (the sender's underlay interface) bounds
/// what a probe can find.
/// </summary>
public sealed record UnderlayPath(HostId From, HostId To, string LocalAddress, string RemoteAddress, int InterfaceMtu)
{
    public AddressFamily Family => RemoteAddress.Contains(':') ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;
}

/// <summary>
/// What don't-fragment probes found on a path: the largest IP packet that crossed, or null (with the reason in
/// <see cref="Failure"/>) when none did. Such a path is planned at its interface MTU, with a warning.
/// </summary>
public sealed record MeasuredPath(UnderlayPath Path, int? Mtu, string? Failure, DateTimeOffset MeasuredAt)
{
    /// <summary>The figure tunnel overheads are subtracted from.</summary>
    public int Effective => Mtu ?? Path.InterfaceMtu;

    public string? Warning => Mtu is null
        ? $"path {Path.From} → {Path.To} ({Path.LocalAddress} → {Path.RemoteAddress}): {Failure ?? "every don't-fragment probe was dropped"}; planned at the interface MTU {Path.InterfaceMtu}, large frames may be lost"
        : null;
}
