using System.Collections.Immutable;

namespace Superbridge.Core.Observed;

/// <summary>What <c>lxc-info -n NAME</c> says about one container.</summary>
public sealed record LxcInfo
{
    public required string Name { get; init; }
    public required string State { get; init; }
    public int? Pid { get; init; }
    /// <summary>Every "IP:" line, IPv4 and IPv6, in output order.</summary>
    public ImmutableArray<string> Addresses { get; init; } = [];
    /// <summary>Every "Link:" line: the host-side veth of each network of a running container.</summary>
    public ImmutableArray<string> Links { get; init; } = [];

    public ImmutableArray<string> Ipv4 => [.. Addresses.Where(a => !a.Contains(':'))];

    /// <summary>The container with the host veth (first link) filled in, and IPv4 taken from here when lxc-ls had none.</summary>
    public ObservedContainer ApplyTo(ObservedContainer container) => container with
    {
        HostVeth = Links.IsEmpty ? container.HostVeth : Links[0],
        Ipv4 = container.Ipv4.IsEmpty ? Ipv4 : container.Ipv4,
    };
}
