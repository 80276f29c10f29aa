using Superbridge.Core.Observed;

namespace Superbridge.Core.Model;

/// <summary>What the operator told us about a host: how tunnels reach it and where its containers live.</summary>
public sealed record HostInfo
{
    public required HostId Id { get; init; }

    /// <summary>
    /// The address peers send this host's tunnel packets to (their <c>remote</c>; the API's <c>peerAddress</c>), IPv4 or
    /// IPv6, without prefix or port. Behind a 1:1 NAT it is the public address, held by no device of the host.
    /// </summary>
    public required string Address { get; init; }

    /// <summary>
    /// The address this host's tunnels bind as <c>local</c> when the operator set one; null: resolved from the host's
    /// routes toward each peer (<see cref="Planning.TunnelAddresses"/>).
    /// </summary>
    public string? TunnelAddress { get; init; }

    /// <summary>The address the dashboard reaches the host by over SSH, when it differs from <see cref="Address"/>
    /// (a management network, a NAT in front); null: <see cref="Address"/>. The NIC holding it must never join a bridge.</summary>
    public string? SshAddress { get; init; }

    /// <summary>Underlay device (e.g. eth0). VXLAN binds to it so the kernel sizes the MTU from it.</summary>
    public string? UnderlayDevice { get; init; }

    /// <summary>MTU of the underlay path; tunnel overheads are subtracted from it.</summary>
    public int UnderlayMtu { get; init; } = 1500;

    /// <summary>Non-default LXC path (passed as <c>-P</c>); null means /var/lib/lxc.</summary>
    public string? LxcPath { get; init; }

    /// <summary>Kernel capabilities as last observed; null when unknown. Observed state, when given, wins.</summary>
    public KernelFeatures? Features { get; init; }
}
