using Superbridge.Web.Authentication;
using Superbridge.Web.Tests.Components.Support;

namespace Superbridge.Web.Tests.Authentication;

public sealed class SignInThrottleTests
{
    [Fact]
    public void The_fifth_failure_in_the_window_locks_the_client_out_for_five_minutes_and_then_it_may_try_again()
    {
        var time = new FixedTimeProvider();
        var throttle = new SignInThrottle(time);

        for (var i = 1; i < SignInThrottle.MaxFailures; i++) Assert.Null(throttle.Failed("192.0.2.7"));
        Assert.Null(throttle.LockedFor("192.0.2.7"));
        Assert.Equal(SignInThrottle.LockOut, throttle.Failed("192.0.2.7"));

        time.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal(TimeSpan.FromMinutes(1), throttle.LockedFor("192.0.2.7"));
        Assert.Null(throttle.LockedFor("192.0.2.8"));
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Null(throttle.LockedFor("192.0.2.7"));
        Assert.Null(throttle.Failed("192.0.2.7"));
    }

    [Fact]
    public void Failures_spread_wider_than_the_window_never_lock_out()
    {
        var time = new FixedTimeProvider();
        var throttle = new SignInThrottle(time);

        for (var i = 0; i < 3 * SignInThrottle.MaxFailures; i++)
        {
            Assert.Null(throttle.Failed("192.0.2.7"));
            time.Advance(SignInThrottle.Window / (SignInThrottle.MaxFailures - 1) + TimeSpan.FromSeconds(1));
        }
    }

    [Fact]
    public void A_successful_sign_in_forgets_the_failures_before_it()
    {
        var throttle = new SignInThrottle(new FixedTimeProvider());
        for (var i = 1; i < SignInThrottle.MaxFailures; i++) throttle.Failed("192.0.2.7");

        throttle.Succeeded("192.0.2.7");

        Assert.Null(throttle.Failed("192.0.2.7"));
    }
}
