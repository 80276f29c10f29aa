using System.Collections.Immutable;

namespace Superbridge.Core.Validation;

/// <summary>Either a value or the errors that prevented it; never both, never half a value.</summary>
public sealed class Result<T>
{
    private readonly T? _value;

    private Result(bool ok, T? value, ImmutableArray<ValidationError> errors)
    {
        IsOk = ok;
        _value = value;
        Errors = errors;
    }

    public static Result<T> Ok(T value) => new(true, value, []);

    public static Result<T> Fail(IEnumerable<ValidationError> errors)
    {
        var list = errors.ToImmutableArray();
        if (list.IsEmpty) throw new ArgumentException("A failure needs at least one error.", nameof(errors));
        return new(false, default, list);
    }

    public bool IsOk { get; }
    public ImmutableArray<ValidationError> Errors { get; }

    /// <summary>The value; throws with the errors listed when there is none.</summary>
    public T Value => IsOk ? _value! : throw new InvalidOperationException(
        "No value: " + string.Join("; ", Errors.Select(e => e.ToString())));
}
