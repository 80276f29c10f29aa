using Superbridge.Core.Commands;
using Superbridge.Core.Model;
using Superbridge.Core.Observed;
using Superbridge.Core.Planning;
using Superbridge.Core.Validation;
using Superbridge.Operations.Tests.Support;

namespace Superbridge.Operations.Tests.SegmentServiceTests;

/// <summary>Rotating a pair's key: a new key on both ends and the IKE SA re-authenticated, or the old key back on both.</summary>
public sealed class KeyRotationTests
{
    private static readonly IpsecFacts Ready = new(Swanctl: true, Xfrm: true, CharonRunning: true) { Kernel = EspKernelSupport.Complete };
    private static readonly HostId H1 = new("h1");
    private static readonly HostId H2 = new("h2");

    private static async Task<(ServiceHarness Harness, IpsecPair Pair)> AppliedAsync(Transport transport = Transport.Gretap)
    {
        var h = new ServiceHarness();
        h.Observer["h1"].Ipsec = Ready;
        h.Observer["h2"].Ipsec = Ready;
        await h.CreateAsync(ServiceHarness.Spec("lan", transport, "h1", "h2") with { Encryption = Encryption.Ipsec });
        Assert.Equal(OperationStatus.Succeeded, (await h.ApplyAsync("lan")).Status);
        var pair = Assert.Single(IpsecPair.Of((await h.RecordAsync("lan")).Applied!.Spec));
        return (h, pair);
    }

    private static string KeyOn(ServiceHarness h, HostId host, IpsecPair pair) => h.Observer[host].Keys[SwanctlCommands.SecretsPath(pair.Name)];

    [Theory]
    [InlineData(Transport.Gretap)]
    [InlineData(Transport.Vxlan)]
    public async Task Rotating_writes_a_new_key_on_both_ends_reauthenticates_and_keeps_only_the_new_key(Transport transport)
    {
        var (h, pair) = await AppliedAsync(transport);
        await using var _ = h;
        var old = KeyOn(h, H1, pair);
        Assert.Equal(old, KeyOn(h, H2, pair));

        var rotated = await h.FinishedAsync(h.Service.StartKeyRotationAsync("lan", H2, H1, ServiceHarness.User));

        Assert.Equal((OperationStatus.Succeeded, SegmentOperationKind.RotateKey), (rotated.Status, rotated.Kind));
        var key = KeyOn(h, H1, pair);
        Assert.NotEqual(old, key);
        Assert.Equal(key, KeyOn(h, H2, pair));
        Assert.Equal(key, h.Keys.Keys[pair.Name]);
        Assert.DoesNotContain(SecretPlaceholders.Staged(pair.Name), h.Keys.Keys.Keys);
        Assert.Equal([pair.Name], h.Observer[H2].Reauthenticated);
        Assert.Empty(h.Observer[H1].Reauthenticated);
        Assert.Equal(
            [("h1", $"ipsec-key:{pair.Name}"), ("h2", $"ipsec-key:{pair.Name}"), ("h2", $"ipsec-reauth:{pair.Name}")],
            rotated.Result!.Plan!.Hosts.SelectMany(x => x.Steps.Select(s => (x.Host.Value, s.Id))));
        Assert.Empty(rotated.Result.Drift);
    }

    [Fact]
    public async Task The_preview_is_the_plan_that_runs_and_forces_the_key_steps_an_apply_would_skip()
    {
        var (h, pair) = await AppliedAsync();
        await using var _ = h;

        var preview = await h.Service.PreviewKeyRotationAsync("lan", H1, H2, ServiceHarness.User);
        Assert.True(preview.IsOk, string.Join("; ", preview.Errors));
        Assert.All(preview.Value!.Plan.Hosts.SelectMany(x => x.Steps), s => Assert.Null(s.Check));
        var rotated = await h.FinishedAsync(h.Service.StartKeyRotationAsync("lan", H1, H2, ServiceHarness.User, preview.Value.Fingerprint));

        Assert.Equal(OperationStatus.Succeeded, rotated.Status);
        Assert.Equal(preview.Value.Fingerprint, PlanFingerprint.Of(rotated.Result!.Plan!));
        Assert.Equal(0, (await h.ApplyAsync("lan")).Result!.Plan!.StepCount);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_failing_end_rolls_back_to_the_old_key_on_both_ends_and_forgets_the_new_one(bool keyStepFails)
    {
        var (h, pair) = await AppliedAsync();
        await using var _ = h;
        var old = KeyOn(h, H1, pair);
        h.Executor.FailAtStep = keyStepFails ? $"ipsec-key:{pair.Name}" : $"ipsec-reauth:{pair.Name}";

        var rotated = await h.FinishedAsync(h.Service.StartKeyRotationAsync("lan", H1, H2, ServiceHarness.User));

        Assert.Equal(OperationStatus.RolledBack, rotated.Status);
        Assert.Equal((old, old), (KeyOn(h, H1, pair), KeyOn(h, H2, pair)));
        Assert.Equal(old, h.Keys.Keys[pair.Name]);
        Assert.DoesNotContain(SecretPlaceholders.Staged(pair.Name), h.Keys.Keys.Keys);
    }

    [Fact]
    public async Task Rotating_a_segment_that_is_not_encrypted_is_refused_naming_the_field_and_nothing_runs()
    {
        await using var h = new ServiceHarness();
        await h.CreateAsync(ServiceHarness.Spec("lan", Transport.Gretap, "h1", "h2"));
        Assert.Equal(OperationStatus.Succeeded, (await h.ApplyAsync("lan")).Status);
        var runs = h.Executor.Calls.Count;

        var refused = await h.Service.StartKeyRotationAsync("lan", H1, H2, ServiceHarness.User);

        var error = Assert.Single(refused.Errors);
        Assert.Equal(("encryption", ErrorCode.NotAllowed, "segment lan is not encrypted (encryption is none): it has no keys to rotate"),
            (error.Path, error.Code, error.Message));
        Assert.Equal(runs, h.Executor.Calls.Count);
        Assert.Single(await h.Service.ListOperationsAsync("lan"));
    }

    [Fact]
    public async Task Rotating_hosts_that_share_no_key_is_refused_naming_the_link_and_the_pairs_there_are()
    {
        var (h, _) = await AppliedAsync();
        await using var __ = h;

        var refused = await h.Service.StartKeyRotationAsync("lan", H1, new HostId("h3"), ServiceHarness.User);

        var error = Assert.Single(refused.Errors);
        Assert.Equal(("link", "h1 and h3 share no IPsec key in segment lan (its pairs: h1/h2)"), (error.Path, error.Message));
    }

    [Fact]
    public async Task Rotating_a_segment_never_applied_is_refused_naming_it()
    {
        await using var h = new ServiceHarness();
        h.Observer["h1"].Ipsec = Ready;
        h.Observer["h2"].Ipsec = Ready;
        await h.CreateAsync(ServiceHarness.Spec("lan", Transport.Gretap, "h1", "h2") with { Encryption = Encryption.Ipsec });

        var refused = await h.Service.StartKeyRotationAsync("lan", H1, H2, ServiceHarness.User);

        Assert.Equal(("id", "segment lan is not applied: its keys are made when it is"), (refused.Errors.Single().Path, refused.Errors.Single().Message));
    }
}
