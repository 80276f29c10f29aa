using MudBlazor;
using Superbridge.Operations;
using Superbridge.Ssh.Apply;
using Superbridge.Web.Components.Controls;

namespace Superbridge.Web.Tests.Components.Controls;

public sealed class ApplyOutcomeMessageTests
{
    [Fact]
    public void A_rollback_is_an_error_that_says_every_host_was_rolled_back()
    {
        var (text, severity) = ApplyOutcomeMessage.For("Router for lan1", ApplyStatus.RolledBack);

        Assert.Equal(Severity.Error, severity);
        Assert.StartsWith("Router for lan1 failed and was rolled back on every host", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_refusal_is_a_warning_that_nothing_ran()
    {
        var (text, severity) = ApplyOutcomeMessage.For("Apply lan1", ApplyStatus.Refused);

        Assert.Equal((Severity.Warning, "Apply lan1 was refused before any command ran"), (severity, text));
    }

    [Fact]
    public void A_cancelled_dialog_shows_no_message()
    {
        Assert.Null(ApplyOutcomeMessage.For("Apply lan1", DialogResult.Cancel()));
        Assert.Equal((("Apply lan1: done", Severity.Success)), ApplyOutcomeMessage.For("Apply lan1", DialogResult.Ok<ApplyStatus?>(ApplyStatus.Succeeded)));
    }
}
