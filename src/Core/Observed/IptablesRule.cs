using System.Collections.Immutable;

namespace Superbridge.Core.Observed;

/// <summary>
/// One "-A CHAIN ..." line of <c>iptables -S</c>, with the options Superbridge looks at pulled out.
/// <see cref="Arguments"/> keeps every token (quotes removed) after the chain name; <see cref="Line"/> is verbatim.
/// </summary>
public sealed record IptablesRule
{
    public required string Chain { get; init; }
    public required string Line { get; init; }
    public ImmutableArray<string> Arguments { get; init; } = [];
    public string? Source { get; init; }
    public bool SourceNegated { get; init; }
    public string? Destination { get; init; }
    public bool DestinationNegated { get; init; }
    public string? InInterface { get; init; }
    public bool InInterfaceNegated { get; init; }
    public string? OutInterface { get; init; }
    public bool OutInterfaceNegated { get; init; }
    /// <summary>The -j target (MASQUERADE, SNAT, ACCEPT, a user chain...), or null for a rule without one.</summary>
    public string? Target { get; init; }
    public string? Comment { get; init; }
}
