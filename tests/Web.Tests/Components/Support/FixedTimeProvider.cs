namespace Superbridge.Web.Tests.Components.Support;

/// <summary>A clock that says what the test tells it; timestamps do not depend on when the test runs.</summary>
public sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public static readonly DateTimeOffset Start = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    private DateTimeOffset _now = now;

    public FixedTimeProvider() : this(Start) { }

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
