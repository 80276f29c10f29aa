using System.Collections.Immutable;

namespace Superbridge.Core.Validation;

/// <summary>Collects errors while validating; every field is checked so the operator sees all problems at once.</summary>
internal sealed class ErrorList
{
    private readonly List<ValidationError> _errors = [];

    public int Count => _errors.Count;

    public void Add(string path, ErrorCode code, string message) => _errors.Add(new(path, code, message));

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
