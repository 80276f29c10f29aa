using System.Collections.Immutable;

namespace Superbridge.Web.Validation;

/// <summary>Field name → why it was refused; the shape of a problem-details "errors" member.</summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
        }
        list.Add(message);
    }

    public ImmutableDictionary<string, string[]> ToDictionary() =>
        _errors.ToImmutableDictionary(e => e.Key, e => e.Value.ToArray());

    /// <summary>"field: message" per message, fields in ordinal order: how pages and live logs show a refusal.</summary>
    public ImmutableArray<string> Lines() =>
        [.. _errors.OrderBy(e => e.Key, StringComparer.Ordinal).SelectMany(e => e.Value.Select(m => $"{e.Key}: {m}"))];
}
