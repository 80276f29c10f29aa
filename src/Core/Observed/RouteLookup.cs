using System.Net;
using System.Net.Sockets;

namespace Superbridge.Core.Observed;

/// <summary>Where the host's main table sends a destination: the route (longest prefix, then lowest metric) and the source address it would use.</summary>
public static class RouteLookup
{
    /// <summary>The device and source address for <paramref name="destination"/>, or null when no route of its family matches.</summary>
    public static RouteChoice? Toward(ObservedHost host, string destination)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (!IPAddress.TryParse(destination, out var target)) return null;
        var family = target.AddressFamily == AddressFamily.InterNetworkV6 ? "inet6" : "inet";
        ObservedRoute? best = null;
        var bestLength = -1;
        foreach (var route in host.Routes)
        {
            if (route.Family != family || !Matches(route.Destination, target, out var length)) continue;
            if (length > bestLength || (length == bestLength && route.Metric < best!.Metric)) { best = route; bestLength = length; }
        }
        if (best?.Device is not { } device) return null;
        return new RouteChoice(best, device, best.PreferredSource ?? FirstAddress(host, device, family));
    }

    /// <summary>The device of the default route of <paramref name="family"/> ("inet" or "inet6"), or null.</summary>
    public static string? DefaultDevice(ObservedHost host, string family = "inet")
    {
        ArgumentNullException.ThrowIfNull(host);
        return host.Routes.Where(r => r.Family == family && r.Destination == "default" && r.Device is not null)
            .OrderBy(r => r.Metric).FirstOrDefault()?.Device;
    }

    private static string? FirstAddress(ObservedHost host, string device, string family) =>
        host.Addresses.FirstOrDefault(a => a.Device == device && a.Family == family
            && !(IPAddress.TryParse(a.Address, out var ip) && ip.IsIPv6LinkLocal))?.Address;

    private static bool Matches(string destination, IPAddress target, out int length)
    {
        length = 0;
        if (destination == "default") return true;
        var slash = destination.IndexOf('/', StringComparison.Ordinal);
        var text = slash < 0 ? destination : destination[..slash];
        if (!IPAddress.TryParse(text, out var network) || network.AddressFamily != target.AddressFamily) return false;
        var bits = network.GetAddressBytes().Length * 8;
        length = slash < 0 ? bits : int.TryParse(destination[(slash + 1)..], out var l) ? l : -1;
        if (length < 0 || length > bits) return false;
        var a = network.GetAddressBytes();
        var b = target.GetAddressBytes();
        for (var i = 0; i < length; i++)
        {
            var mask = 0x80 >> (i % 8);
            if ((a[i / 8] & mask) != (b[i / 8] & mask)) return false;
        }
        return true;
    }
}

/// <summary>The route chosen for a destination, its device, and the source address the host would send from (null when the device has none).</summary>
public sealed record RouteChoice(ObservedRoute Route, string Device, string? Source);
