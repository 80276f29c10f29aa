using System.Globalization;
using System.Text.Json;

namespace Superbridge.Core.Observed;

/// <summary>Shared reading helpers for the parsers: JSON arrays from iproute2, lines from text tools.</summary>
internal readonly record struct ParserContext(string Parser, string Command)
{
    public ObservedParseException Error(string problem, Exception? inner = null) => new(Parser, Command, problem, inner);

    /// <summary>Parses iproute2 <c>-j</c> output: one JSON array of objects.</summary>
    public JsonDocument ParseJsonArray(string? output)
    {
        if (string.IsNullOrWhiteSpace(output))
            throw Error("the output is empty (expected a JSON array)");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(output);
        }
        catch (JsonException e)
        {
            throw Error($"the output is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}): {e.Message}", e);
        }
        if (document.RootElement.ValueKind != JsonValueKind.Array)
        {
            var kind = document.RootElement.ValueKind;
            document.Dispose();
            throw Error($"expected a JSON array at the top level, found {kind}");
        }
        return document;
    }

    public JsonElement RequireObject(JsonElement entry, int index)
    {
        if (entry.ValueKind != JsonValueKind.Object)
            throw Error($"entry {index} is {entry.ValueKind}, expected an object");
        return entry;
    }

    public string RequireString(JsonElement entry, string property, int index)
    {
        if (!entry.TryGetProperty(property, out var value) || value.ValueKind != JsonValueKind.String)
            throw Error($"entry {index} has no string \"{property}\"");
        var text = value.GetString();
        if (string.IsNullOrEmpty(text)) throw Error($"entry {index} has an empty \"{property}\"");
        return text;
    }

    public static string? OptionalString(JsonElement entry, string property) =>
        entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    public int OptionalInt(JsonElement entry, string property, int index, string where)
    {
        if (entry.ValueKind != JsonValueKind.Object || !entry.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null) return 0;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)) return number;
        throw Error($"entry {index}{where}: \"{property}\" is not an integer ({value.GetRawText()})");
    }

    public static bool TryGetObject(JsonElement entry, string property, out JsonElement value) =>
        entry.TryGetProperty(property, out value) && value.ValueKind == JsonValueKind.Object;

    public static bool HasFlag(JsonElement entry, string flag)
    {
        if (!entry.TryGetProperty("flags", out var flags) || flags.ValueKind != JsonValueKind.Array) return false;
        foreach (var f in flags.EnumerateArray())
            if (f.ValueKind == JsonValueKind.String && f.GetString() == flag) return true;
        return false;
    }

    /// <summary>Lines without their terminators; a trailing empty line from the final newline is dropped.</summary>
    public static string[] Lines(string output)
    {
        var lines = output.Replace("\r\n", "\n").Split('\n');
        return lines.Length > 0 && lines[^1].Length == 0 ? lines[..^1] : lines;
    }

    public uint ParseUInt(string text, string what, int lineNumber) =>
        uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Error($"line {lineNumber}: {what} \"{text}\" is not an unsigned integer");

    public int ParseInt(string text, string what, int lineNumber) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Error($"line {lineNumber}: {what} \"{text}\" is not a number");
}
