using System.Text.RegularExpressions;

namespace Superbridge.Core.Commands;

/// <summary>
/// Plans never hold a key: where a key goes, a command holds <c>&lt;secret:NAME&gt;</c>. Previews, fingerprints and the
/// audit keep that text; only the executor, at the edge, sends the program with each placeholder replaced by the key it
/// names (keys are base64 with a <c>0s</c> prefix, safe inside any quoted shell word and in swanctl files).
/// </summary>
public static partial class SecretPlaceholders
{
    public static string For(string name) =>
        NamePattern().IsMatch(name) ? $"<secret:{name}>" : throw new ArgumentException($"\"{name}\" is not a secret name ([a-z0-9.-]).", nameof(name));

    /// <summary>
    /// The key a rotation of <paramref name="name"/> writes: kept beside the old one until the rotation succeeds, so a
    /// rollback can write the old one back. (A pair's name ends in 8 hex digits, so no pair is named like this.)
    /// </summary>
    public static string Staged(string name) => name + ".next";

    /// <summary>The environment variable a step that needs the key <paramref name="name"/> reads it from.</summary>
    public static string Variable(string name) => "SB_KEY_" + name.Replace('.', '_').Replace('-', '_');

    /// <summary>The names of every placeholder in <paramref name="text"/>, each once, in order of appearance.</summary>
    public static IReadOnlyList<string> Names(string text) =>
        [.. Placeholder().Matches(text).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal)];

    /// <summary>The text with each placeholder replaced by its value.</summary>
    /// <exception cref="KeyNotFoundException">A placeholder has no value.</exception>
    public static string Resolve(string text, IReadOnlyDictionary<string, string> values) =>
        Placeholder().Replace(text, m => values.TryGetValue(m.Groups[1].Value, out var value)
            ? value : throw new KeyNotFoundException($"No key for {m.Value}."));

    [GeneratedRegex("<secret:([a-z0-9.-]{1,100})>")]
    private static partial Regex Placeholder();

    [GeneratedRegex("^[a-z0-9.-]{1,100}$")]
    private static partial Regex NamePattern();
}
