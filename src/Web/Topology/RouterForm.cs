using Superbridge.Operations;
using Superbridge.Core.Model;
using Superbridge.Web.Segments;

namespace Superbridge.Web.Topology;

/// <summary>The router dialog's fields: a DHCP gateway on a member (dnsmasq, optional NAT), or an external router's interface.</summary>
public sealed record RouterForm
{
    public required string Host { get; init; }
    public RouterMode Mode { get; init; } = RouterMode.Gateway;
    public string Gateway { get; init; } = "";
    public string RangeStart { get; init; } = "";
    public string RangeEnd { get; init; } = "";
    public string LeaseTime { get; init; } = "12h";
    public bool Nat { get; init; } = true;
    public string? NatOutInterface { get; init; }
    public bool Dns { get; init; } = true;
    public string? ExternalInterface { get; init; }

    /// <summary>
    /// The dialog's starting point for making <paramref name="host"/> the router: the segment's current gateway settings
    /// when it has them (moving the router keeps the subnet), else the next free /24 with .2–.254, 12 h leases and NAT.
    /// </summary>
    public static RouterForm For(SegmentRecord record, string host, IEnumerable<Segment> all)
    {
        if (record.Desired.Spec.Router is { Mode: RouterMode.Gateway, Gateway: { } gateway } current)
            return new RouterForm
            {
                Host = host,
                Gateway = gateway,
                RangeStart = current.DhcpRange?.Start ?? "",
                RangeEnd = current.DhcpRange?.End ?? "",
                LeaseTime = current.LeaseTime,
                Nat = current.Nat,
                NatOutInterface = current.NatOutInterface,
                Dns = current.Dns,
            };
        var defaults = RouterDefaults.NextFree(all, except: record.Id);
        return new RouterForm { Host = host, Gateway = defaults.Gateway, RangeStart = defaults.RangeStart, RangeEnd = defaults.RangeEnd };
    }

    public RouterSpec ToSpec() => Mode == RouterMode.External
        ? new RouterSpec { Host = Host, Mode = RouterMode.External, ExternalInterface = Blank(ExternalInterface) }
        : new RouterSpec
        {
            Host = Host,
            Mode = RouterMode.Gateway,
            Gateway = Gateway,
            DhcpRange = new DhcpRange(RangeStart, RangeEnd),
            LeaseTime = LeaseTime,
            Nat = Nat,
            NatOutInterface = Nat ? Blank(NatOutInterface) : null,
            Dns = Dns,
        };

    /// <summary>The segment with this router (replacing, and so moving, any other).</summary>
    public SegmentDraft Preview(SegmentRecord record, IReadOnlyList<SegmentRecord> segments, KnownHosts hosts) =>
        SegmentDraftPlanner.Preview(record.Desired.Spec with { Router = ToSpec() }, record, segments, hosts);

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
