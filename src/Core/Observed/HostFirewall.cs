using System.Collections.Immutable;

namespace Superbridge.Core.Observed;

/// <summary>Which kernel interface the host's <c>iptables</c> command writes to (<c>iptables -V</c>).</summary>
public enum IptablesBackend { Unknown, NfTables, Legacy }

/// <summary>
/// One base chain of the nftables ruleset (<c>nft -j list ruleset</c>) hooked on input or forward that drops what it
/// does not accept: its policy is drop, or it ends in a rule that drops or rejects unconditionally (firewalld's shape).
/// </summary>
public sealed record NftBlockingChain(string Family, string Table, string Chain, string Hook, string Reason)
{
    /// <summary>The tables iptables-nft makes for itself: rules written with <c>iptables</c> land there.</summary>
    public bool IsIptablesNftTable => Family is "ip" && Table is "filter" or "nat" or "mangle" or "raw" or "security";
}

/// <summary>
/// What the inventory learned about the host's packet filters besides <see cref="ObservedHost.FilterRules"/>: the
/// iptables backend, the filter table of the other backend (legacy rules behind an nf_tables <c>iptables</c>) and
/// the nftables chains that drop traffic.
/// </summary>
public sealed record HostFirewall
{
    public IptablesBackend Backend { get; init; } = IptablesBackend.Unknown;
    /// <summary><c>iptables-legacy -t filter -S</c> where <c>iptables</c> is nf_tables and a legacy filter table exists; else empty.</summary>
    public ImmutableArray<string> OtherBackendFilterRules { get; init; } = [];
    /// <summary>Input/forward base chains that drop, from every table (empty where nft is not installed).</summary>
    public ImmutableArray<NftBlockingChain> NftBlockingChains { get; init; } = [];

    public static HostFirewall Unknown { get; } = new();
}
