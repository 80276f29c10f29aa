using System.Text.Json.Serialization;

namespace Superbridge.Core.Model;

[JsonConverter(typeof(JsonStringEnumConverter<RouterMode>))]
public enum RouterMode
{
    /// <summary>The host's bridge gets the gateway address, runs dnsmasq and optionally NAT.</summary>
    [JsonStringEnumMemberName("gateway")] Gateway,
    /// <summary>A physical interface joins the bridge; a router outside serves the segment. No address, dnsmasq or NAT.</summary>
    [JsonStringEnumMemberName("external")] External,
}

/// <summary>Inclusive IPv4 range handed out by DHCP.</summary>
public sealed record DhcpRange(string Start, string End);

/// <summary>The one member host that serves the segment.</summary>
public sealed record RouterSpec
{
    public required HostId Host { get; init; }
    public RouterMode Mode { get; init; } = RouterMode.Gateway;

    /// <summary>Gateway address with prefix on the bridge, e.g. 10.0.2.1/24 (gateway mode).</summary>
    public string? Gateway { get; init; }
    public DhcpRange? DhcpRange { get; init; }
    /// <summary>dnsmasq lease time: seconds, or a number with m/h/d/w, or "infinite".</summary>
    public string LeaseTime { get; init; } = "12h";
    /// <summary>Serve DNS (forwarding to the host's resolvers) on the gateway address; when false dnsmasq runs with --port=0.</summary>
    public bool Dns { get; init; } = true;
    public bool Nat { get; init; }
    /// <summary>Interface NAT leaves by (<c>-o</c>); null masquerades whatever leaves the subnet.</summary>
    public string? NatOutInterface { get; init; }

    /// <summary>Physical interface added to the bridge (external mode).</summary>
    public string? ExternalInterface { get; init; }
}
