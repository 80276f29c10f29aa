using System.Collections.Immutable;
using Superbridge.Core.Validation;

namespace Superbridge.Operations;

/// <summary>
/// What every call of <see cref="SegmentService"/> answers: the value, or the errors (each naming its field, as Core's
/// paths do: <c>hostIds[1]</c>, <c>router.dhcpRange</c>), or that the segment does not exist. Nothing is stored or run
/// when there are errors.
/// </summary>
public sealed record Outcome<T>(T? Value, ImmutableArray<ValidationError> Errors, bool NotFound = false) where T : class
{
    public static Outcome<T> Ok(T value) => new(value, []);

    public static Outcome<T> Fail(IEnumerable<ValidationError> errors) => new(null, [.. errors]);

    public static Outcome<T> Fail(string path, ErrorCode code, string message) => new(null, [new ValidationError(path, code, message)]);

    public static Outcome<T> Missing { get; } = new(null, [], NotFound: true);

    public bool IsOk => Value is not null;
}
