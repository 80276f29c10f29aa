using System.Collections.Immutable;

namespace Superbridge.Core.Observed;

/// <summary>
/// Reads an LXC container <c>config</c> file ("key = value" lines, '#' comments). Only the file itself is read:
/// keys that come from <c>lxc.include</c>d files are not seen.
/// </summary>
public static class LxcConfigParser
{
    private static readonly ParserContext Context = new(nameof(LxcConfigParser), "cat CONTAINER/config");

    /// <summary>
    /// The bridge of the first network: <c>lxc.net.0.link</c> (LXC 3+), or the first <c>lxc.network.link</c>
    /// of a legacy LXC 2 config; null when none is set. A later line wins over an earlier one, as in LXC.
    /// </summary>
    public static string? ConfiguredLink(string config)
    {
        string? current = null, legacy = null;
        foreach (var (key, value) in Entries(config))
        {
            if (key == "lxc.net.0.link") current = value;
            else if (key == "lxc.network.link") legacy ??= value;
        }
        var link = current ?? legacy;
        return string.IsNullOrEmpty(link) ? null : link;
    }

    /// <summary>
    /// Every network of the config (<c>lxc.net.N.*</c>, LXC 3+), by index: its type, the bridge it joins, and its name
    /// inside the container. A later line wins over an earlier one, as in LXC.
    /// </summary>
    public static ImmutableArray<ContainerInterface> Interfaces(string config)
    {
        var byIndex = new SortedDictionary<int, ContainerInterface>();
        foreach (var (key, value) in Entries(config))
        {
            var parts = key.Split('.');
            if (parts.Length != 4 || parts[0] != "lxc" || parts[1] != "net" || !int.TryParse(parts[2], out var index) || index < 0) continue;
            var nic = byIndex.TryGetValue(index, out var found) ? found : new ContainerInterface(index, null, null, null);
            var text = string.IsNullOrEmpty(value) ? null : value;
            byIndex[index] = parts[3] switch
            {
                "type" => nic with { Type = text },
                "link" => nic with { Link = text },
                "name" => nic with { Name = text },
                _ => nic,
            };
        }
        return [.. byIndex.Values];
    }

    /// <summary>Every "key = value" entry in file order; comments and blank lines skipped.</summary>
    public static IEnumerable<(string Key, string Value)> Entries(string config)
    {
        var lines = ParserContext.Lines(config ?? "");
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            var equals = line.IndexOf('=');
            if (equals <= 0)
                throw Context.Error($"line {i + 1}: expected \"key = value\", found \"{line}\"");
            yield return (line[..equals].Trim(), line[(equals + 1)..].Trim());
        }
    }
}
