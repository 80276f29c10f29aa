using System.Collections.Immutable;
using System.Globalization;

namespace Superbridge.Core.Programs;

/// <summary>
/// One step of a host program as it ran: its number, id and description (from the program's comment), the check and
/// the command exactly as the program ran them (shell text), and its marker; no marker when the program stopped before it.
/// </summary>
public sealed record ProgramStepRun(int Index, string Title, string? Check, string? Command, ProgramMarker? Marker);

/// <summary>
/// Reads a <see cref="HostProgram"/> and what it printed back into its steps, so a program stored as one audit entry
/// still shows every command it ran with that command's outcome. The program's text is the source: what is shown is
/// what ran, not a plan that might have been rendered differently.
/// </summary>
public static class ProgramTranscript
{
    private const string Header = "#!/bin/sh\n# Superbridge ";

    /// <summary>Whether the text is a host program (an audit entry's script).</summary>
    public static bool IsProgram(string? script) => script is not null && script.StartsWith(Header, StringComparison.Ordinal);

    /// <summary>The program's steps in the order they appear in it, each with its marker from <paramref name="stdout"/> if it printed one.</summary>
    public static ImmutableArray<ProgramStepRun> Read(string script, string stdout)
    {
        ArgumentNullException.ThrowIfNull(script);
        var markers = new Dictionary<int, ProgramMarker>();
        foreach (var line in (stdout ?? "").Split('\n'))
            if (ProgramMarkers.TryParse(line, out var marker) && marker is not null) markers[marker.Index] = marker;

        var steps = ImmutableArray.CreateBuilder<ProgramStepRun>();
        var lines = script.Split('\n');
        var body = Array.IndexOf(lines, "sb_main() {");
        for (var i = body + 1; i > 0 && i < lines.Length; i++)
        {
            if (!TryStepComment(lines[i], out var index, out var title)) continue;
            string? check = null, command = null;
            for (var j = i + 1; j < lines.Length && lines[j].Length > 0 && !TryStepComment(lines[j], out _, out _) && lines[j] != "}"; j++)
            {
                var text = lines[j].TrimStart('\t');
                if (text.StartsWith("if ", StringComparison.Ordinal) && text.EndsWith(HostProgram.Quiet + "; then", StringComparison.Ordinal))
                    check = text["if ".Length..^(HostProgram.Quiet.Length + "; then".Length)];
                else if (text.EndsWith(HostProgram.Captured, StringComparison.Ordinal))
                    command = text[..^HostProgram.Captured.Length];
            }
            steps.Add(new ProgramStepRun(index, title, check, command, markers.GetValueOrDefault(index)));
        }
        return steps.ToImmutable();
    }

    /// <summary>The comment each step starts with: a tab, <c># </c>, its index, a space, then <c>id: description</c>.</summary>
    private static bool TryStepComment(string line, out int index, out string title)
    {
        index = 0;
        title = "";
        if (!line.StartsWith("\t# ", StringComparison.Ordinal)) return false;
        var space = line.IndexOf(' ', 3);
        if (space < 0 || !int.TryParse(line.AsSpan(3, space - 3), NumberStyles.None, CultureInfo.InvariantCulture, out index)) return false;
        title = line[(space + 1)..];
        return true;
    }
}
