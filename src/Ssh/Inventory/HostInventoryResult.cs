using System.Collections.Immutable;
using Superbridge.Core.Model;
using Superbridge.Core.Observed;
using Superbridge.Ssh.Connections;

namespace Superbridge.Ssh.Inventory;

/// <summary>
/// A host to inventory: how to reach it, the address peers send its tunnel packets to when it differs from the SSH
/// address, the address its tunnels bind when the operator set one, and its lxcpath when not the default.
/// </summary>
public sealed record InventoryTarget(HostTarget Connection, string? PeerAddress = null, string? LxcPath = null, string? TunnelAddress = null)
{
    public HostId Id => Connection.Id;

    /// <summary>The address tunnels from other hosts point at (what names this host as a tunnel's peer): <see cref="PeerAddress"/>, else the SSH address.</summary>
    public string EffectivePeerAddress => string.IsNullOrWhiteSpace(PeerAddress) ? Connection.Endpoint.Address : PeerAddress.Trim();

    /// <summary>Where to look for the underlay device: the configured tunnel address, else the peer address (on no device behind a NAT: see <see cref="InventoryAssembler.Underlay"/>).</summary>
    public string UnderlayLookupAddress => string.IsNullOrWhiteSpace(TunnelAddress) ? EffectivePeerAddress : TunnelAddress.Trim();

    /// <summary>From the operator's host record: its peer and tunnel addresses and lxcpath.</summary>
    public static InventoryTarget From(HostTarget connection, HostInfo info)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(info);
        return new InventoryTarget(connection, info.Address, info.LxcPath, info.TunnelAddress);
    }
}

/// <summary>Timeouts of an inventory refresh.</summary>
public sealed record InventoryOptions
{
    /// <summary>Connecting and running the script together, per host; a host past it is Offline (Timeout).</summary>
    public TimeSpan PerHostTimeout { get; init; } = TimeSpan.FromSeconds(20);

    public static InventoryOptions Default { get; } = new();
}

/// <summary>The outcome of inventorying one host: <see cref="Online"/> with what it has, or <see cref="Offline"/> with why not.</summary>
public abstract record HostInventoryResult
{
    private HostInventoryResult() { }

    public required HostId HostId { get; init; }

    /// <summary>From the start of the refresh of this host to its result (connecting included).</summary>
    public required TimeSpan Duration { get; init; }

    /// <summary>
    /// The host answered. <see cref="Problems"/> lists the sections that failed (their parts of <see cref="Host"/> are
    /// empty); the rest is as observed. <see cref="Bridges"/> are classified with the underlay address map of the refresh.
    /// </summary>
    public sealed record Online : HostInventoryResult
    {
        public required ObservedHost Host { get; init; }
        public required ImmutableArray<BridgeView> Bridges { get; init; }
        public required HostInventory Inventory { get; init; }
        public required AssembledInventory Assembled { get; init; }
        public required HostKeyInfo HostKey { get; init; }
        public ImmutableArray<InventoryProblem> Problems => Assembled.Problems;
        /// <summary>Identifies the SSH connection used (the same id on the next refresh means the pool reused it).</summary>
        public long ConnectionId { get; init; }
    }

    /// <summary>The host could not be inventoried; <see cref="Reason"/> is the connection layer's.</summary>
    public sealed record Offline : HostInventoryResult
    {
        public required SshFailure Failure { get; init; }
        public SshFailureReason Reason => Failure.Reason;
        public string Message => Failure.Message;
    }

    public bool IsOnline => this is Online;
}
