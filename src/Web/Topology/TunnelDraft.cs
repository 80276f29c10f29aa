using System.Collections.Immutable;
using Superbridge.Core.Allocation;
using Superbridge.Core.Mtu;
using Superbridge.Core.Validation;

namespace Superbridge.Web.Topology;

/// <summary>
/// The tunnel the dialog would create: Core's allocation for it (paired ids, ports, key, VNI, device names), the
/// segment MTU, and Core's errors sorted onto the dialog's fields.
/// </summary>
public sealed record TunnelDraft
{
    public required TunnelForm Form { get; init; }
    public required SegmentDraft Draft { get; init; }
    /// <summary>The new link's index among the segment's links (point-to-point transports).</summary>
    public int? LinkIndex { get; init; }
    /// <summary>The largest MTU the members' underlays carry for this transport.</summary>
    public int MaximumMtu { get; init; }

    public bool IsValid => Draft.IsValid;

    /// <summary>The new link as allocated (point-to-point transports, when valid).</summary>
    public LinkAllocation? Link => LinkIndex is { } i && Draft.Segment is { } s && i < s.Allocation.Links.Length ? s.Allocation.Links[i] : null;

    public uint? Vni => Draft.Segment?.Allocation.Vni;

    public string? VxlanDevice(string host) => Draft.Segment?.Allocation.VxlanDevices.FirstOrDefault(d => d.Host.Value == host)?.Device;

    public int? Mtu => Draft.Plan?.Mtu;

    /// <summary>Why the link would close a loop, naming the hosts on it; null when it would not.</summary>
    public string? Loop => LoopDetector.Describe(Draft.Errors);

    /// <summary>The first error for one of the dialog's fields (<see cref="TunnelFields"/>), or null.</summary>
    public string? ErrorFor(string field) => Draft.Errors.Where(e => e.Code != ErrorCode.Cycle).FirstOrDefault(e => FieldOf(e) == field)?.Message;

    /// <summary>Errors that belong to no field of the dialog (e.g. a host's kernel lacks the transport).</summary>
    public ImmutableArray<string> OtherErrors =>
        [.. Draft.Errors.Where(e => e.Code != ErrorCode.Cycle && FieldOf(e) is null).Select(e => e.ToString())];

    private string? FieldOf(ValidationError error)
    {
        var path = error.Path;
        if (path is TunnelFields.Name or TunnelFields.Bridge or TunnelFields.Transport or TunnelFields.Vni or TunnelFields.Mtu or TunnelFields.Segment or TunnelFields.Encryption)
            return path;
        if (path.StartsWith("router", StringComparison.Ordinal)) return TunnelFields.Router;
        if (LinkIndex is { } i)
        {
            var prefix = $"links[{i}]";
            if (path == prefix) return TunnelFields.Segment;
            if (path.StartsWith(prefix + ".", StringComparison.Ordinal))
            {
                var field = path[(prefix.Length + 1)..];
                return field is TunnelFields.A or TunnelFields.B ? null : field;
            }
        }
        return null;
    }

    internal static int MaximumFor(SegmentDraft draft, KnownHosts hosts) => SegmentMtu.Maximum(draft.Spec, hosts.Infos());
}

/// <summary>The dialog's field names, which are Core's names for them.</summary>
public static class TunnelFields
{
    public const string Segment = "segment";
    public const string Name = "name";
    public const string Bridge = "bridge";
    public const string Transport = "transport";
    public const string Router = "router";
    public const string Encryption = "encryption";
    public const string GreKey = "greKey";
    public const string TunnelId = "tunnelId";
    public const string PeerTunnelId = "peerTunnelId";
    public const string SessionId = "sessionId";
    public const string PeerSessionId = "peerSessionId";
    public const string SourcePort = "sourcePort";
    public const string DestinationPort = "destinationPort";
    public const string Vni = "vni";
    public const string Mtu = "mtu";
    internal const string A = "a";
    internal const string B = "b";
}
