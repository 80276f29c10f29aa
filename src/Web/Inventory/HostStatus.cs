using Superbridge.Core.Observed;
using Superbridge.Ssh;
using Superbridge.Ssh.Inventory;

namespace Superbridge.Web.Inventory;

/// <summary>Whether the last inventory of a host answered.</summary>
public enum HostState
{
    /// <summary>Not inventoried since the dashboard started.</summary>
    Unknown,
    Online,
    Offline,
}

/// <summary>
/// The latest known state of one host: its last inventory (kept while a new refresh runs, and after the host goes
/// offline, as "last seen"), why it is offline, and when it was last refreshed.
/// </summary>
public sealed record HostStatus
{
    public required string HostId { get; init; }
    public HostState State { get; init; } = HostState.Unknown;
    public bool IsRefreshing { get; init; }
    /// <summary>Why the last refresh failed (offline only).</summary>
    public SshFailureReason? Reason { get; init; }
    public string? Message { get; init; }
    /// <summary>The last inventory read from the host, possibly older than <see cref="RefreshedAt"/> when offline now.</summary>
    public HostInventory? Inventory { get; init; }
    public ObservedHost? Observed { get; init; }
    /// <summary>When <see cref="Observed"/> was read (<see cref="RefreshedAt"/> moves on when a later refresh fails).</summary>
    public DateTimeOffset? ObservedAt { get; init; }
    public DateTimeOffset? RefreshedAt { get; init; }
    public TimeSpan? Duration { get; init; }

    /// <summary>"online", "offline" or "unknown", as the REST API writes it.</summary>
    public string StateName => State switch
    {
        HostState.Online => "online",
        HostState.Offline => "offline",
        _ => "unknown",
    };

    public static HostStatus UnknownFor(string hostId) => new() { HostId = hostId };
}
