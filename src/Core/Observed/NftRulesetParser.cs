using System.Collections.Immutable;
using System.Text.Json;

namespace Superbridge.Core.Observed;

/// <summary>
/// Reads <c>nft -j list ruleset</c> for the base chains that would drop a segment's traffic whatever iptables accepts
/// (a packet must pass every base chain on its hook): filter chains hooked on input or forward whose policy is drop,
/// or that end in a rule that is only a drop or reject verdict.
/// </summary>
public static class NftRulesetParser
{
    public const string Command = "nft -j list ruleset";

    public static ImmutableArray<NftBlockingChain> Parse(string output)
    {
        var context = new ParserContext(nameof(NftRulesetParser), Command);
        if (string.IsNullOrWhiteSpace(output)) throw context.Error("the output is empty (expected {\"nftables\": [...]})");
        JsonDocument document;
        try { document = JsonDocument.Parse(output); }
        catch (JsonException e) { throw context.Error($"the output is not valid JSON: {e.Message}", e); }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("nftables", out var items) || items.ValueKind != JsonValueKind.Array)
                throw context.Error("expected an object with an \"nftables\" array");
            var baseChains = new List<(string Family, string Table, string Chain, string Hook, string Policy)>();
            var lastVerdict = new Dictionary<(string, string, string), string?>();
            foreach (var item in items.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object) continue;
                if (item.TryGetProperty("chain", out var chain))
                {
                    var hook = ParserContext.OptionalString(chain, "hook");
                    if (ParserContext.OptionalString(chain, "type") == "filter" && hook is "input" or "forward")
                        baseChains.Add((Text(chain, "family"), Text(chain, "table"), Text(chain, "name"), hook, ParserContext.OptionalString(chain, "policy") ?? "accept"));
                }
                else if (item.TryGetProperty("rule", out var rule))
                    lastVerdict[(Text(rule, "family"), Text(rule, "table"), Text(rule, "chain"))] = UnconditionalDrop(rule);
            }
            return [.. baseChains
                .Select(c => (c, Reason: c.Policy == "drop" ? "policy drop"
                    : lastVerdict.GetValueOrDefault((c.Family, c.Table, c.Chain)) is { } verdict ? $"ends in an unconditional {verdict}" : null))
                .Where(x => x.Reason is not null)
                .Select(x => new NftBlockingChain(x.c.Family, x.c.Table, x.c.Chain, x.c.Hook, x.Reason!))];
        }
    }

    private static string Text(JsonElement element, string property) => ParserContext.OptionalString(element, property) ?? "";

    /// <summary>"drop" or "reject" when the rule's expressions hold nothing but counters, logging and that verdict.</summary>
    private static string? UnconditionalDrop(JsonElement rule)
    {
        if (!rule.TryGetProperty("expr", out var expressions) || expressions.ValueKind != JsonValueKind.Array) return null;
        string? verdict = null;
        foreach (var expression in expressions.EnumerateArray())
        {
            if (expression.ValueKind != JsonValueKind.Object) return null;
            foreach (var property in expression.EnumerateObject())
                switch (property.Name)
                {
                    case "counter" or "log": break;
                    case "drop" or "reject": verdict = property.Name; break;
                    default: return null;
                }
        }
        return verdict;
    }
}
