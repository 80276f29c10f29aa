using System.Collections.Immutable;
using System.Text.Json;

namespace Superbridge.Core.Observed;

/// <summary>
/// Reads the main routing table as the inventory prints it: <c>ip -j -4 route show table main</c> on the first line,
/// <c>ip -j -6 route show table main</c> on the second (<c>[]</c> where the host has no IPv6). Each line is one JSON array.
/// </summary>
public static class IpRouteParser
{
    public const string Command = "ip -j -4 route show table main; ip -j -6 route show table main";
    private static readonly ParserContext Context = new(nameof(IpRouteParser), Command);

    public static ImmutableArray<ObservedRoute> Parse(string output)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Length is < 1 or > 2) throw Context.Error($"expected one JSON array per family on its own line, found {lines.Length} lines");
        var routes = ImmutableArray.CreateBuilder<ObservedRoute>();
        string[] families = ["inet", "inet6"];
        for (var line = 0; line < lines.Length; line++)
        {
            using var document = Context.ParseJsonArray(lines[line]);
            var index = 0;
            foreach (var entry in document.RootElement.EnumerateArray())
            {
                Context.RequireObject(entry, index);
                var destination = Context.RequireString(entry, "dst", index);
                var metric = entry.TryGetProperty("metric", out var m) && m.ValueKind == JsonValueKind.Number && m.TryGetInt32(out var value) ? value : 0;
                routes.Add(new ObservedRoute(families[line], destination, ParserContext.OptionalString(entry, "dev"),
                    ParserContext.OptionalString(entry, "gateway"), ParserContext.OptionalString(entry, "prefsrc"), metric));
                index++;
            }
        }
        return routes.ToImmutable();
    }
}
