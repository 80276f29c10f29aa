using System.Collections.Immutable;

namespace Superbridge.Core.Observed;

/// <summary>
/// One IKE SA as <c>swanctl --list-sas</c> shows it. Times are seconds relative to the read (swanctl prints
/// "N s ago" and "in N s"); whoever knows when the host was read turns them into dates.
/// </summary>
public sealed record ObservedIkeSa
{
    public required string Name { get; init; }
    /// <summary>strongSwan's IKE SA state: CREATED, CONNECTING, ESTABLISHED, PASSIVE, REKEYING, REKEYED, DELETING, DESTROYING.</summary>
    public required string State { get; init; }
    public required string LocalHost { get; init; }
    public required string RemoteHost { get; init; }
    /// <summary>Null until the SA is established.</summary>
    public long? EstablishedSecondsAgo { get; init; }
    public long? RekeyInSeconds { get; init; }
    public long? ReauthInSeconds { get; init; }
    public long? ExpiresInSeconds { get; init; }
    public ImmutableArray<ObservedChildSa> Children { get; init; } = [];

    public bool IsEstablished => State == "ESTABLISHED";
}

/// <summary>One CHILD SA of an IKE SA; the ESP values are null in states that have no SA in the kernel (CREATED, ROUTED, INSTALLING...).</summary>
public sealed record ObservedChildSa
{
    public required string Name { get; init; }
    /// <summary>strongSwan's CHILD SA state: CREATED, ROUTED, INSTALLING, INSTALLED, UPDATING, REKEYING, REKEYED, RETRYING, DELETING, DELETED, DESTROYING.</summary>
    public required string State { get; init; }
    public long? InstalledSecondsAgo { get; init; }
    public long? RekeyInSeconds { get; init; }
    public long? ExpiresInSeconds { get; init; }
    public ObservedSaTraffic? In { get; init; }
    public ObservedSaTraffic? Out { get; init; }

    public bool IsInstalled => State == "INSTALLED";
}

/// <summary>What went through one direction of a CHILD SA; <see cref="LastPacketSecondsAgo"/> is null before the first packet.</summary>
public sealed record ObservedSaTraffic(long Bytes, long Packets, long? LastPacketSecondsAgo);
