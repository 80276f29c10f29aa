using System.Collections.Immutable;
using Superbridge.Core.Model;

namespace Superbridge.Core.Allocation;

/// <summary>
/// Identifiers chosen for one segment. Immutable; the caller persists it and hands it back to the
/// allocator next time so identifiers stay put.
/// </summary>
public sealed record SegmentAllocation
{
    public required string Segment { get; init; }
    public uint? Vni { get; init; }
    /// <summary>Per point-to-point link, in the order of <see cref="SegmentSpec.Links"/>.</summary>
    public ImmutableArray<LinkAllocation> Links { get; init; } = [];
    /// <summary>The one VXLAN device per member host.</summary>
    public ImmutableArray<HostDevice> VxlanDevices { get; init; } = [];
    public RouterAllocation? Router { get; init; }
    public ImmutableArray<AttachmentAllocation> Attachments { get; init; } = [];
    /// <summary>
    /// Setup steps whose effect was already on a host when it joined the segment (e.g. an operator's own
    /// superbr0 or MASQUERADE rule). Setup skips them like any done step; teardown leaves them alone.
    /// </summary>
    public ImmutableArray<HostStep> Preexisting { get; init; } = [];
}

/// <summary>A step of a host's plan, by its stable <see cref="Planning.PlanStep.Id"/>.</summary>
public sealed record HostStep(HostId Host, string StepId);

/// <summary>Both ends of one tunnel. "A" values are used on host A, "B" values on host B; each end's peer values are the other's.</summary>
public sealed record LinkAllocation
{
    public required HostId A { get; init; }
    public required HostId B { get; init; }
    public required string DeviceA { get; init; }
    public required string DeviceB { get; init; }
    public uint? GreKey { get; init; }
    public uint? TunnelIdA { get; init; }
    public uint? TunnelIdB { get; init; }
    public uint? SessionIdA { get; init; }
    public uint? SessionIdB { get; init; }
    /// <summary>UDP port bound on A (A's udp_sport, B's udp_dport).</summary>
    public int? PortA { get; init; }
    public int? PortB { get; init; }
    public string? CookieA { get; init; }
    public string? CookieB { get; init; }

    /// <summary>The same link seen from B.</summary>
    public LinkAllocation Reversed() => this with
    {
        A = B, B = A, DeviceA = DeviceB, DeviceB = DeviceA,
        TunnelIdA = TunnelIdB, TunnelIdB = TunnelIdA,
        SessionIdA = SessionIdB, SessionIdB = SessionIdA,
        PortA = PortB, PortB = PortA,
        CookieA = CookieB, CookieB = CookieA,
    };
}

public sealed record HostDevice(HostId Host, string Device);

/// <summary>
/// Router host plus what it found there before we changed it, so teardown restores it.
/// <see cref="PreviousIpv4Forward"/> is net.ipv4.ip_forward before the segment ("0"/"1"), null when the
/// host was not observed (then teardown leaves forwarding on rather than guess).
/// </summary>
public sealed record RouterAllocation(HostId Host, string? PreviousIpv4Forward);

/// <summary>
/// An attached container plus its lxc.net.0.link before attaching (restored on detach). <see cref="PreviousLink"/> is
/// null when the config had no lxc.net.0.link line (a veth attached to nothing): attaching appends the line and
/// detaching removes it again. <see cref="WasRunning"/>: the container ran when it was attached, so the attach stopped and
/// started it; found stopped later (its start failed at boot because the bridge was missing, or an apply was cut off
/// between the two), a repair apply starts it again.
/// </summary>
public sealed record AttachmentAllocation(HostId Host, string Container, string? PreviousLink, bool WasRunning = false);
