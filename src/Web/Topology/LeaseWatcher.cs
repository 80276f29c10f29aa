using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Superbridge.Core.Validation;
using Superbridge.Web.Inventory;

namespace Superbridge.Web.Topology;

/// <summary>One look at an attached container: its IPv4 addresses then, and the one inside the DHCP range once it has it.</summary>
public sealed record LeaseObservation(DateTimeOffset At, int Attempt, string? State, ImmutableArray<string> Ipv4, string? Leased);

/// <summary>
/// "Watch it get its address": re-inventories the container's host every <see cref="Interval"/> until the container
/// shows an IPv4 address inside the segment's DHCP range (any non-link-local one when the range is unknown).
/// </summary>
public sealed class LeaseWatcher(HostStatusBoard board, TimeProvider time)
{
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(2);

    public async IAsyncEnumerable<LeaseObservation> WatchAsync(
        string host, string container, string? rangeStart, string? rangeEnd,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            var status = await board.RefreshAsync(host, cancellationToken: cancellationToken);
            var found = status?.Inventory?.Containers.FirstOrDefault(c => c.Name == container);
            var addresses = found?.Ipv4 ?? [];
            var leased = addresses.FirstOrDefault(a => InRange(a, rangeStart, rangeEnd));
            yield return new LeaseObservation(time.GetUtcNow(), attempt, found?.State, addresses, leased);
            if (leased is not null) yield break;
            await Task.Delay(Interval, time, cancellationToken);
        }
    }

    public static bool InRange(string address, string? start, string? end)
    {
        var text = address.Split('/')[0];
        if (!IPAddress.TryParse(text, out var ip) || ip.AddressFamily != AddressFamily.InterNetwork) return false;
        var value = Ipv4Subnet.ToUInt(ip);
        if (start is null || end is null || !IPAddress.TryParse(start, out var s) || !IPAddress.TryParse(end, out var e))
            return (value & 0xFFFF0000) != 0xA9FE0000; // anything but 169.254/16
        return value >= Ipv4Subnet.ToUInt(s) && value <= Ipv4Subnet.ToUInt(e);
    }
}
