using System.Collections.Immutable;
using System.Globalization;

namespace Superbridge.Ssh.Inventory;

/// <summary>One section of the inventory script's output: what its command printed and how it exited.</summary>
public sealed record InventorySection(string Name, string StandardOutput, string StandardError, int ExitCode)
{
    public bool Succeeded => ExitCode == 0;
}

/// <summary>
/// The inventory output cut into sections. <see cref="IsComplete"/> is false when the output stopped early (the
/// script was killed, the connection dropped) or held something other than sections; <see cref="Problem"/> says
/// what and where, and <see cref="Sections"/> still holds every section read before that point.
/// </summary>
public sealed record InventoryOutput(ImmutableArray<InventorySection> Sections, bool IsComplete, string? Problem)
{
    /// <summary>Text before the header line (a login script's greeting), normally empty.</summary>
    public string Preamble { get; init; } = "";

    public InventorySection? Find(string name)
    {
        foreach (var section in Sections)
            if (section.Name == name) return section;
        return null;
    }
}

/// <summary>
/// Pure: reads the framing of <see cref="InventoryScript"/> back into <see cref="InventorySection"/>s. A marker is
/// only recognised where the frame expects it, with the section's own name (the stderr and end markers of section
/// X are looked for as "\n@@superbridge-stderr X@@\n" and "\n@@superbridge-end X exit="), so output would have to
/// contain that exact line to be misread. Never throws on bad input: it reports it in <see cref="InventoryOutput.Problem"/>.
/// </summary>
public static class InventoryOutputSplitter
{
    public static InventoryOutput Split(string? output)
    {
        var text = output ?? "";
        var header = InventoryScript.HeaderLine + "\n";
        var start = text.StartsWith(header, StringComparison.Ordinal) ? 0 : text.IndexOf("\n" + header, StringComparison.Ordinal);
        if (start < 0)
            return new InventoryOutput([], false, $"no \"{InventoryScript.HeaderLine}\" line: the inventory script did not start (output begins \"{Shorten(text)}\")");
        var preamble = start == 0 ? "" : text[..(start + 1)];
        var position = (start == 0 ? 0 : start + 1) + header.Length;

        var sections = ImmutableArray.CreateBuilder<InventorySection>();
        InventoryOutput Stop(string problem) => new(sections.ToImmutable(), false, problem) { Preamble = preamble };

        while (true)
        {
            if (position >= text.Length)
                return Stop(After(sections, "the output ends") + $" without the \"{InventoryScript.DoneLine}\" line (cut short?)");
            if (string.CompareOrdinal(text, position, InventoryScript.DoneLine, 0, InventoryScript.DoneLine.Length) == 0)
            {
                var rest = text[(position + InventoryScript.DoneLine.Length)..];
                return rest.Trim().Length == 0
                    ? new InventoryOutput(sections.ToImmutable(), true, null) { Preamble = preamble }
                    : Stop($"unexpected text after \"{InventoryScript.DoneLine}\": \"{Shorten(rest.TrimStart())}\"");
            }
            if (string.CompareOrdinal(text, position, InventoryScript.SectionPrefix, 0, InventoryScript.SectionPrefix.Length) != 0)
                return Stop(After(sections, "expected a section marker") + $", found \"{Shorten(text[position..])}\"");

            var nameStart = position + InventoryScript.SectionPrefix.Length;
            var nameEnd = text.IndexOf(InventoryScript.MarkerSuffix + "\n", nameStart, StringComparison.Ordinal);
            var lineEnd = text.IndexOf('\n', nameStart);
            if (nameEnd < 0 || nameEnd > lineEnd || nameEnd == nameStart)
                return Stop(After(sections, "a section marker") + $" is malformed: \"{Shorten(text[position..])}\"");
            var name = text[nameStart..nameEnd];
            var stdoutStart = nameEnd + InventoryScript.MarkerSuffix.Length + 1;

            var stderrMarker = "\n" + InventoryScript.StderrPrefix + name + InventoryScript.MarkerSuffix + "\n";
            var stderrAt = text.IndexOf(stderrMarker, stdoutStart, StringComparison.Ordinal);
            if (stderrAt < 0)
                return Stop($"section \"{name}\" has no stderr marker (output cut short inside it?)");
            // The line break before the marker belongs to the frame: empty output leaves only that one.
            var stdout = text[stdoutStart..stderrAt];
            var stderrStart = stderrAt + stderrMarker.Length;

            var endMarker = "\n" + InventoryScript.EndPrefix + name + " exit=";
            var endAt = text.IndexOf(endMarker, stderrStart, StringComparison.Ordinal);
            if (endAt < 0)
                return Stop($"section \"{name}\" has no end marker (output cut short inside it?)");
            var stderr = text[stderrStart..endAt];
            var codeStart = endAt + endMarker.Length;
            var codeEnd = text.IndexOf(InventoryScript.MarkerSuffix + "\n", codeStart, StringComparison.Ordinal);
            if (codeEnd < 0 || !int.TryParse(text.AsSpan(codeStart, codeEnd - codeStart), NumberStyles.None, CultureInfo.InvariantCulture, out var exitCode))
                return Stop($"section \"{name}\" has a malformed end marker: \"{Shorten(text[(endAt + 1)..])}\"");

            sections.Add(new InventorySection(name, stdout, stderr, exitCode));
            position = codeEnd + InventoryScript.MarkerSuffix.Length + 1;
        }
    }

    private static string After(ImmutableArray<InventorySection>.Builder sections, string what) =>
        sections.Count == 0 ? $"after the header, {what}" : $"after section \"{sections[^1].Name}\", {what}";

    private static string Shorten(string text)
    {
        var line = text.Split('\n')[0];
        line = line.Replace("\0", "\\0");
        return line.Length <= 60 ? line : line[..60] + "...";
    }
}
