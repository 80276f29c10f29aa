using System.Globalization;
using System.Text;

namespace Superbridge.Core.Programs;

/// <summary>What became of one step in a host program (the marker's outcome word in brackets).</summary>
public enum MarkerOutcome
{
    /// <summary>Apply: the check passed, the command did not run (<c>skipped</c>).</summary>
    Skipped,
    /// <summary>Apply: the command exited 0 (<c>succeeded</c>).</summary>
    Succeeded,
    /// <summary>Apply: the command exited non-zero; the program stopped there (<c>failed</c>).</summary>
    Failed,
    /// <summary>Undo: the step has no undo command (<c>nothing-to-undo</c>).</summary>
    NothingToUndo,
    /// <summary>Undo: the check failed, so there was nothing left to undo (<c>already-undone</c>).</summary>
    AlreadyUndone,
    /// <summary>Undo: the undo command exited 0 (<c>undone</c>).</summary>
    Undone,
    /// <summary>Undo: the undo command exited non-zero; the rollback went on (<c>undo-failed</c>).</summary>
    UndoFailed,
}

/// <summary>
/// One step's marker. <see cref="ExitCode"/> is the command's exit status for succeeded/failed/undone/undo-failed, the
/// check's for skipped/already-undone, and null for nothing-to-undo (nothing ran).
/// <see cref="DurationMs"/> is the whole step (check and command), 10 ms resolution; 0 on hosts without <c>/proc/uptime</c>.
/// The outputs are the first <see cref="ProgramMarkers.OutputLimit"/> bytes decoded as UTF-8 (invalid bytes become
/// U+FFFD); the <c>…Truncated</c> flags say there was more. A check's output is not reported.
/// </summary>
public sealed record ProgramMarker(int Index, string StepId, MarkerOutcome Outcome, int? ExitCode, long DurationMs, string StandardOutput, string StandardError)
{
    public bool StandardOutputTruncated { get; init; }
    public bool StandardErrorTruncated { get; init; }
}

/// <summary>
/// Reads the lines a <see cref="HostProgram"/> prints. A step's line:
/// <code>SBSTEP &lt;index&gt; &lt;step-id&gt; &lt;outcome&gt; &lt;exit-code|-&gt; &lt;duration-ms&gt; &lt;stdout|-&gt; &lt;stderr|-&gt;</code>
/// eight fields separated by one space, all ASCII: the step id percent-encoded (<see cref="EncodeId"/>), the outputs
/// base64 (no line breaks) of the output, read as far as <see cref="OutputLimit"/>+1 bytes or a little more (so a cut is seen),
/// <c>-</c> when empty. The program's last line is <c>SBEND &lt;status&gt;</c>.
/// </summary>
public static class ProgramMarkers
{
    /// <summary>Bytes of each of a step's stdout and stderr that a marker reports.</summary>
    public const int OutputLimit = 4096;

    /// <summary>SBEND status: every step done (apply) or undone (undo).</summary>
    public const int StatusOk = 0;

    /// <summary>SBEND status: a step failed (apply; it is the last marker), or an undo failed.</summary>
    public const int StatusFailed = 1;

    /// <summary>SBEND status: no step ran; the host lacks a tool the program needs or no temp dir could be made (stderr says).</summary>
    public const int StatusCannotRun = 125;

    /// <summary>
    /// SBEND status of an apply program asked to stop (<see cref="StopFile"/> created while it ran): it stopped before the
    /// next step, after the last step it reported; the step in progress when the request came was finished, not cut.
    /// </summary>
    public const int StatusStopped = 3;

    /// <summary>Base64 characters a program reads of an output: enough for <see cref="OutputLimit"/>+1 bytes, so a cut shows.</summary>
    internal const int CutBase64Length = (OutputLimit + 1 + 2) / 3 * 4;

    public const string StepPrefix = "SBSTEP";
    public const string EndPrefix = "SBEND";
    public const string DirectoryPrefix = "SBDIR";

    /// <summary>
    /// The file whose creation asks a running apply program to stop before its next step, in the private directory the
    /// program announced (<c>SBDIR &lt;directory&gt;</c>, its first line). Once the program has ended the directory is
    /// gone, so a late request creates nothing.
    /// </summary>
    public static string StopFile(string directory) => directory + "/stop";

    /// <summary>The program's <c>SBDIR &lt;directory&gt;</c> line → the directory.</summary>
    public static bool TryParseDirectory(string line, out string directory)
    {
        directory = "";
        if (line is null || !line.StartsWith(DirectoryPrefix + " /", StringComparison.Ordinal)) return false;
        directory = TrimCr(line)[(DirectoryPrefix.Length + 1)..];
        return directory.Length > 1;
    }

    /// <summary>One line of the program's stdout → a marker, or false for any other line (lines may come in any order; a trailing CR is ignored).</summary>
    public static bool TryParse(string line, out ProgramMarker? marker)
    {
        marker = null;
        if (line is null || !line.StartsWith(StepPrefix + " ", StringComparison.Ordinal)) return false;
        var fields = TrimCr(line).Split(' ');
        if (fields.Length != 8) return false;
        if (!TryNatural(fields[1], out var index) || index > int.MaxValue) return false;
        if (!TryDecodeId(fields[2], out var id)) return false;
        if (!TryOutcome(fields[3], out var outcome)) return false;
        int? exit = null;
        if (fields[4] != "-")
        {
            if (!TryNatural(fields[4], out var code) || code > int.MaxValue) return false;
            exit = (int)code;
        }
        if (!TryNatural(fields[5], out var duration)) return false;
        if (!TryOutput(fields[6], out var stdout, out var stdoutCut)) return false;
        if (!TryOutput(fields[7], out var stderr, out var stderrCut)) return false;
        marker = new ProgramMarker((int)index, id, outcome, exit, duration, stdout, stderr)
        {
            StandardOutputTruncated = stdoutCut,
            StandardErrorTruncated = stderrCut,
        };
        return true;
    }

    /// <summary>The program's last line, <c>SBEND &lt;status&gt;</c>: it ran to its end with that exit status.</summary>
    public static bool TryParseEnd(string line, out int status)
    {
        status = 0;
        if (line is null || !line.StartsWith(EndPrefix + " ", StringComparison.Ordinal)) return false;
        var fields = TrimCr(line).Split(' ');
        if (fields.Length != 2 || !TryNatural(fields[1], out var value) || value > int.MaxValue) return false;
        status = (int)value;
        return true;
    }

    /// <summary>The marker word of an outcome (<c>skipped</c>, <c>nothing-to-undo</c>…).</summary>
    public static string Word(MarkerOutcome outcome) => outcome switch
    {
        MarkerOutcome.Skipped => "skipped",
        MarkerOutcome.Succeeded => "succeeded",
        MarkerOutcome.Failed => "failed",
        MarkerOutcome.NothingToUndo => "nothing-to-undo",
        MarkerOutcome.AlreadyUndone => "already-undone",
        MarkerOutcome.Undone => "undone",
        MarkerOutcome.UndoFailed => "undo-failed",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, null),
    };

    /// <summary>
    /// A step id as one marker field: bytes of its UTF-8 other than <c>A-Z a-z 0-9 : / . _ @ + = -</c> become <c>%XX</c>
    /// (so <c>link:sbg-lan-0</c> stays as it is); the empty id is <c>-</c>, and an id that is just <c>-</c> is <c>%2D</c>.
    /// </summary>
    public static string EncodeId(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (id.Length == 0) return "-";
        if (id == "-") return "%2D";
        var sb = new StringBuilder(id.Length);
        foreach (var b in Encoding.UTF8.GetBytes(id))
        {
            if (IsIdByte(b)) sb.Append((char)b);
            else sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    private static bool IsIdByte(byte b) =>
        b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9'
            or (byte)':' or (byte)'/' or (byte)'.' or (byte)'_' or (byte)'@' or (byte)'+' or (byte)'=' or (byte)'-';

    private static bool TryDecodeId(string field, out string id)
    {
        id = "";
        if (field.Length == 0) return false;
        if (field == "-") return true;
        var bytes = new List<byte>(field.Length);
        for (var i = 0; i < field.Length; i++)
        {
            var c = field[i];
            if (c == '%')
            {
                if (i + 2 >= field.Length) return false;
                if (!byte.TryParse(field.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var b)) return false;
                bytes.Add(b);
                i += 2;
            }
            else if (c < 128 && IsIdByte((byte)c)) bytes.Add((byte)c);
            else return false;
        }
        id = Encoding.UTF8.GetString([.. bytes]);
        return true;
    }

    private static bool TryOutcome(string word, out MarkerOutcome outcome)
    {
        foreach (var candidate in Enum.GetValues<MarkerOutcome>())
        {
            if (Word(candidate) == word)
            {
                outcome = candidate;
                return true;
            }
        }
        outcome = default;
        return false;
    }

    private static bool TryOutput(string field, out string text, out bool truncated)
    {
        text = "";
        truncated = false;
        if (field == "-") return true;
        if (field.Length == 0) return false;
        if (field.Length % 4 != 0)
        {
            // Read back line by line up to the limit: a base64 wrapping lines at a width that is not a multiple of 4
            // leaves a partial group at the end of a cut. Anything shorter is not what a program prints.
            if (field.Length < CutBase64Length) return false;
            field = field[..^(field.Length % 4)];
        }
        var bytes = new byte[field.Length / 4 * 3];
        if (!Convert.TryFromBase64String(field, bytes, out var length) || length == 0) return false;
        truncated = length > OutputLimit;
        text = Encoding.UTF8.GetString(bytes, 0, Math.Min(length, OutputLimit));
        return true;
    }

    /// <summary>Digits only (no sign, no spaces), as the program prints them.</summary>
    private static bool TryNatural(string field, out long value)
    {
        value = 0;
        if (field.Length is 0 or > 18) return false;
        foreach (var c in field) if (c is < '0' or > '9') return false;
        value = long.Parse(field, NumberStyles.None, CultureInfo.InvariantCulture);
        return true;
    }

    private static string TrimCr(string line) => line.EndsWith('\r') ? line[..^1] : line;
}
