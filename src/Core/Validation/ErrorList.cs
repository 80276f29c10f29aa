using System.Collections.Immutable;

namespace Superbridge.Core.Validation;

/// <summary>Collects errors while validating; every field is checked so the operator sees all problems at once.</summary>
internal sealed class ErrorList
{
    private readonly List<ValidationError> _errors = [];

    public int Count => _errors.Count;

    public void Add(string path, ErrorCode code, string message) => _errors.Add(new(Printable(path), code, Printable(message)));

    /// <summary>Messages quote the operator's input; keep them one short printable line whatever was typed.</summary>
    private static string Printable(string text)
    {
        const int max = 240;
        var clean = string.Create(Math.Min(text.Length, max), text, (span, source) =>
        {
            for (var i = 0; i < span.Length; i++) span[i] = char.IsControl(source[i]) || char.IsSurrogate(source[i]) || source[i] is '\u2028' or '\u2029' ? '?' : source[i];
        });
        return text.Length > max ? clean + "…" : clean;
    }

    public void AddRange(IEnumerable<ValidationError> errors) => _errors.AddRange(errors);

    /// <summary>Adds an error when <paramref name="problem"/> is not null; returns whether the field was fine.</summary>
    public bool Check(string path, ErrorCode code, string? problem)
    {
        if (problem is null) return true;
        Add(path, code, problem);
        return false;
    }

    public ImmutableArray<ValidationError> ToImmutable() => [.. _errors];
}
