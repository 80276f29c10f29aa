using System.Collections.Immutable;

namespace Superbridge.Core.Observed;

/// <summary>
/// The filter table as <c>iptables -t filter -S</c> prints it, read for one question: does a built-in chain drop what
/// it does not accept? Superbridge's own chains (<c>SB-</c>) are left out, so its rules never count as the host's.
/// </summary>
public sealed class FilterTable
{
    private const string OwnPrefix = "SB-";
    private readonly ImmutableDictionary<string, string> _policies;
    private readonly ILookup<string, IptablesRule> _rules;

    private FilterTable(ImmutableDictionary<string, string> policies, ILookup<string, IptablesRule> rules)
    {
        _policies = policies;
        _rules = rules;
    }

    /// <param name="lines">Verbatim <c>-S</c> lines (<see cref="ObservedHost.FilterRules"/>): "-P" policies, "-N" chains, "-A" rules.</param>
    public static FilterTable From(IEnumerable<string> lines)
    {
        var all = lines.ToList();
        var policies = all.Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(w => w.Length >= 3 && w[0] == "-P")
            .ToImmutableDictionary(w => w[1], w => w[2], StringComparer.Ordinal);
        var rules = all.Count == 0 ? [] : IptablesRulesParser.Parse(string.Join('\n', all), IptablesRulesParser.FilterCommand);
        return new FilterTable(policies, rules.ToLookup(r => r.Chain, StringComparer.Ordinal));
    }

    /// <summary>Why <paramref name="chain"/> (INPUT, FORWARD) drops unmatched traffic, or null when it does not.</summary>
    public string? Blocks(string chain)
    {
        if (_policies.GetValueOrDefault(chain) is "DROP") return $"{chain} policy DROP";
        return FindDrop(chain, []) is { } rule ? $"{rule.Target} in {rule.Chain}" : null;
    }

    /// <summary>A DROP or REJECT rule reachable from <paramref name="chain"/> through jumps to the host's own chains.</summary>
    private IptablesRule? FindDrop(string chain, HashSet<string> seen)
    {
        if (!seen.Add(chain)) return null;
        foreach (var rule in _rules[chain])
        {
            if (rule.Target is "DROP" or "REJECT") return rule;
            if (rule.Target is { } target && _rules.Contains(target) && !target.StartsWith(OwnPrefix, StringComparison.Ordinal)
                && FindDrop(target, seen) is { } inner)
                return inner;
        }
        return null;
    }
}
