namespace Superbridge.Core.Model;

/// <summary>
/// A host's NIC that joins the segment's bridge so the segment reaches a physical switch (the guide's "add eth1 to
/// superbr0"). It carries frames only: no address, DHCP or NAT of its own.
/// </summary>
public sealed record UplinkSpec(HostId Host, string Interface);
