using System.Collections.Immutable;
using Superbridge.Core.Model;
using Superbridge.Core.Validation;

namespace Superbridge.Core.Allocation;

/// <summary>
/// Values for point-to-point links. Pinned values (from the spec) are reserved first, then values
/// kept from the previous allocation, then new ones are chosen, so a pin can never be taken by a
/// value allocated earlier in the same run.
/// </summary>
internal static class LinkAllocator
{
    public static ImmutableArray<LinkAllocation> Allocate(SegmentSpec spec, SegmentAllocation? previous, UsageIndex usage, ErrorList errors)
    {
        ReservePinned(spec, usage, errors);
        if (errors.Count > 0) return [];

        // Pass 1: keep every previous value that is still free, before anything new is chosen,
        // so a new link can never take a value an existing link already holds.
        var drafts = new LinkAllocation[spec.Links.Length];
        for (var i = 0; i < spec.Links.Length; i++)
        {
            var link = spec.Links[i];
            var old = Previous(previous, link);
            var a = usage[link.A];
            var b = usage[link.B];
            var draft = new LinkAllocation { A = link.A, B = link.B, DeviceA = KeepName(old?.DeviceA, a) ?? "", DeviceB = KeepName(old?.DeviceB, b) ?? "" };
            if (spec.Transport == Transport.Gretap)
                draft = draft with { GreKey = Pinned(link.GreKey) ?? KeepKey(old?.GreKey, a, b) };
            else
            {
                draft = draft with
                {
                    TunnelIdA = Pinned(link.TunnelId) ?? Keep(old?.TunnelIdA, a.TunnelIds),
                    TunnelIdB = Pinned(link.PeerTunnelId) ?? Keep(old?.TunnelIdB, b.TunnelIds),
                    SessionIdA = Pinned(link.SessionId) ?? Keep(old?.SessionIdA, a.SessionIds),
                    SessionIdB = Pinned(link.PeerSessionId) ?? Keep(old?.SessionIdB, b.SessionIds),
                    CookieA = link.Cookie?.ToLowerInvariant(),
                    CookieB = link.PeerCookie?.ToLowerInvariant(),
                };
                if (spec.Transport == Transport.L2tpv3Udp)
                    draft = draft with
                    {
                        PortA = link.SourcePort ?? KeepPort(old?.PortA, a),
                        PortB = link.DestinationPort ?? KeepPort(old?.PortB, b),
                    };
            }
            drafts[i] = draft;
        }

        // Pass 2: choose what is still missing.
        var result = ImmutableArray.CreateBuilder<LinkAllocation>(spec.Links.Length);
        foreach (var draft in drafts)
        {
            var a = usage[draft.A];
            var b = usage[draft.B];
            var done = draft with
            {
                DeviceA = draft.DeviceA.Length > 0 ? draft.DeviceA : SegmentAllocator.NextName(a, spec),
                DeviceB = draft.DeviceB.Length > 0 ? draft.DeviceB : SegmentAllocator.NextName(b, spec),
            };
            if (spec.Transport == Transport.Gretap)
                done = done with { GreKey = draft.GreKey ?? GreKeyAllocator.Next(a, b) };
            else
            {
                done = done with
                {
                    TunnelIdA = draft.TunnelIdA ?? L2tpIdAllocator.NextTunnelId(a),
                    TunnelIdB = draft.TunnelIdB ?? L2tpIdAllocator.NextTunnelId(b),
                    SessionIdA = draft.SessionIdA ?? L2tpIdAllocator.NextSessionId(a),
                    SessionIdB = draft.SessionIdB ?? L2tpIdAllocator.NextSessionId(b),
                };
                if (spec.Transport == Transport.L2tpv3Udp)
                    done = done with
                    {
                        PortA = draft.PortA ?? L2tpIdAllocator.NextPort(a),
                        PortB = draft.PortB ?? L2tpIdAllocator.NextPort(b),
                    };
            }
            result.Add(done);
        }
        return result.MoveToImmutable();
    }

    private static LinkAllocation? Previous(SegmentAllocation? previous, LinkSpec link)
    {
        if (previous is null) return null;
        foreach (var old in previous.Links)
        {
            if (old.A == link.A && old.B == link.B) return old;
            if (old.A == link.B && old.B == link.A) return old.Reversed();
        }
        return null;
    }

    private static void ReservePinned(SegmentSpec spec, UsageIndex usage, ErrorList errors)
    {
        for (var i = 0; i < spec.Links.Length; i++)
        {
            var link = spec.Links[i];
            var path = $"links[{i}]";
            var a = usage[link.A];
            var b = usage[link.B];
            if (link.GreKey is { } key)
            {
                // Pins conflict only with the same key between the same hosts; fresh keys avoid both hosts' keys.
                var taken = usage.GrePairs.Contains(PairKey(link.A, link.B, (uint)key));
                if (taken) errors.Add($"{path}.greKey", ErrorCode.Conflict, $"GRE key {key} is already used between {link.A} and {link.B}");
                a.GreKeys.Add((uint)key);
                b.GreKeys.Add((uint)key);
            }
            Reserve(errors, $"{path}.tunnelId", link.TunnelId, a.TunnelIds, link.A, "tunnel id");
            Reserve(errors, $"{path}.peerTunnelId", link.PeerTunnelId, b.TunnelIds, link.B, "tunnel id");
            Reserve(errors, $"{path}.sessionId", link.SessionId, a.SessionIds, link.A, "session id");
            Reserve(errors, $"{path}.peerSessionId", link.PeerSessionId, b.SessionIds, link.B, "session id");
            ReservePort(errors, $"{path}.sourcePort", link.SourcePort, a.Ports, link.A);
            ReservePort(errors, $"{path}.destinationPort", link.DestinationPort, b.Ports, link.B);
        }
    }

    internal static (HostId, HostId, uint) PairKey(HostId a, HostId b, uint key) => a.CompareTo(b) < 0 ? (a, b, key) : (b, a, key);

    private static void Reserve(ErrorList errors, string path, long? value, HashSet<uint> used, HostId host, string what)
    {
        if (value is { } v && !used.Add((uint)v))
            errors.Add(path, ErrorCode.Conflict, $"{what} {v} is already in use on {host}");
    }

    private static void ReservePort(ErrorList errors, string path, int? value, HashSet<int> used, HostId host)
    {
        if (value is { } v && !used.Add(v))
            errors.Add(path, ErrorCode.Conflict, $"UDP port {v} is already in use on {host}");
    }

    private static uint? Pinned(long? value) => value is { } v ? (uint)v : null;

    private static uint? Keep(uint? old, HashSet<uint> used) => old is { } v && used.Add(v) ? v : null;

    private static int? KeepPort(int? old, HostUsage host) => old is { } v && host.Ports.Add(v) ? v : null;

    private static string? KeepName(string? old, HostUsage host) => old is not null && host.Names.Add(old) ? old : null;

    private static uint? KeepKey(uint? old, HostUsage a, HostUsage b)
    {
        if (old is not { } key) return null;
        // A kept key only has to stay unique between the same pair; it is ours already.
        a.GreKeys.Add(key);
        b.GreKeys.Add(key);
        return key;
    }
}
