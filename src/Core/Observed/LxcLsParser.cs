using System.Collections.Immutable;

namespace Superbridge.Core.Observed;

/// <summary>
/// Reads the fancy table of <c>lxc-ls -f</c>, with the default columns or with
/// <c>-F NAME,STATE,IPV4,AUTOSTART</c> (preferred: fewer columns, same layout). Columns are found by their
/// header positions, because values themselves contain spaces ("10.0.0.2, 10.0.0.3"). "-" means none.
/// A host without containers prints nothing, which parses to an empty list.
/// </summary>
public static class LxcLsParser
{
    public const string Command = "lxc-ls -f -F NAME,STATE,IPV4,AUTOSTART";
    private static readonly ParserContext Context = new(nameof(LxcLsParser), "lxc-ls -f");

    public static ImmutableArray<ObservedContainer> Parse(string output)
    {
        var lines = ParserContext.Lines(output ?? "").Where(l => l.Trim().Length > 0).ToArray();
        if (lines.Length == 0) return [];

        var columns = Columns(lines[0]);
        var name = Find(columns, "NAME") ?? throw Context.Error($"line 1: header has no NAME column: \"{lines[0].Trim()}\"");
        var state = Find(columns, "STATE") ?? throw Context.Error($"line 1: header has no STATE column: \"{lines[0].Trim()}\"");
        var ipv4 = Find(columns, "IPV4");
        var autostart = Find(columns, "AUTOSTART");

        var containers = ImmutableArray.CreateBuilder<ObservedContainer>();
        for (var i = 1; i < lines.Length; i++)
        {
            var line = lines[i];
            var number = i + 1;
            var containerName = Cell(line, columns, name);
            if (containerName.Length == 0 || containerName.Contains(' '))
                throw Context.Error($"line {number}: no container name under the NAME column: \"{line.Trim()}\"");
            var containerState = Cell(line, columns, state);
            if (containerState.Length == 0 || containerState.Contains(' '))
                throw Context.Error($"line {number} ({containerName}): no state under the STATE column");
            containers.Add(new ObservedContainer
            {
                Name = containerName,
                State = containerState,
                Ipv4 = ipv4 is { } ip ? SplitList(Cell(line, columns, ip)) : [],
                Autostart = autostart is { } a && ParseAutostart(Cell(line, columns, a), containerName, number),
            });
        }
        return containers.ToImmutable();
    }

    /// <summary>Splits a comma-separated cell ("10.0.0.3, 10.0.0.2"); "-" or empty is an empty list.</summary>
    public static ImmutableArray<string> SplitList(string cell) =>
        cell is "" or "-"
            ? []
            : [.. cell.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];

    private static bool ParseAutostart(string cell, string container, int number) => cell switch
    {
        "1" => true,
        "0" or "-" or "" => false,
        _ => throw Context.Error($"line {number} ({container}): AUTOSTART is \"{cell}\", expected 0 or 1"),
    };

    private sealed record Column(string Title, int Start);

    private static List<Column> Columns(string header)
    {
        var columns = new List<Column>();
        for (var i = 0; i < header.Length; i++)
        {
            if (header[i] == ' ' || (i > 0 && header[i - 1] != ' ')) continue;
            var end = header.IndexOf(' ', i);
            columns.Add(new Column(header[i..(end < 0 ? header.Length : end)], i));
        }
        return columns;
    }

    private static int? Find(List<Column> columns, string title)
    {
        var index = columns.FindIndex(c => c.Title == title);
        return index < 0 ? null : index;
    }

    private static string Cell(string line, List<Column> columns, int index)
    {
        var start = columns[index].Start;
        if (start >= line.Length) return "";
        var end = index + 1 < columns.Count ? Math.Min(columns[index + 1].Start, line.Length) : line.Length;
        return line[start..end].Trim();
    }
}
