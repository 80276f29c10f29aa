using System.Collections.Immutable;
using System.Globalization;

namespace Superbridge.Core.Observed;

/// <summary>
/// Reads <c>lxc-info -n NAME</c>: "Key: value" lines (Name, State, PID, IP, Link); the indented traffic
/// counters under Link are skipped. A stopped container has only Name and State.
/// </summary>
public static class LxcInfoParser
{
    public const string Command = "lxc-info -n NAME";
    private static readonly ParserContext Context = new(nameof(LxcInfoParser), Command);

    public static LxcInfo Parse(string output)
    {
        if (string.IsNullOrWhiteSpace(output)) throw Context.Error("the output is empty");
        string? name = null, state = null;
        int? pid = null;
        var addresses = ImmutableArray.CreateBuilder<string>();
        var links = ImmutableArray.CreateBuilder<string>();
        var lines = ParserContext.Lines(output);
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.Trim().Length == 0 || char.IsWhiteSpace(line[0])) continue;
            var colon = line.IndexOf(':');
            if (colon <= 0)
                throw Context.Error($"line {i + 1}: expected \"Key: value\", found \"{line.Trim()}\"");
            var key = line[..colon];
            var value = line[(colon + 1)..].Trim();
            switch (key)
            {
                case "Name": name = value; break;
                case "State": state = value; break;
                case "PID":
                    pid = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var p)
                        ? p
                        : throw Context.Error($"line {i + 1}: PID \"{value}\" is not a number");
                    break;
                case "IP": addresses.Add(value); break;
                case "Link": links.Add(value); break;
            }
        }
        if (string.IsNullOrEmpty(name)) throw Context.Error("no \"Name:\" line");
        if (string.IsNullOrEmpty(state)) throw Context.Error($"no \"State:\" line for {name}");
        return new LxcInfo
        {
            Name = name,
            State = state,
            Pid = pid,
            Addresses = addresses.ToImmutable(),
            Links = links.ToImmutable(),
        };
    }
}
