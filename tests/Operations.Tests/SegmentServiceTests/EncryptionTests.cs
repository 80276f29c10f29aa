using Superbridge.Core.Commands;
using Superbridge.Core.Model;
using Superbridge.Core.Observed;
using Superbridge.Operations.Tests.Support;

namespace Superbridge.Operations.Tests.SegmentServiceTests;

/// <summary>An encrypted segment through the service: swanctl files on both ends, nothing left after teardown, and switching
/// encryption on an applied segment is a change that keeps its containers running.</summary>
public sealed class EncryptionTests
{
    private static readonly IpsecFacts Ready = new(Swanctl: true, Xfrm: true, CharonRunning: true) { Kernel = EspKernelSupport.Complete };

    [Fact]
    public async Task An_encrypted_segment_writes_a_connection_and_a_key_per_peer_and_teardown_removes_them()
    {
        await using var h = new ServiceHarness();
        await CreateEncryptedVxlanAsync(h);

        var applied = await h.ApplyAsync("lan");

        Assert.Equal(OperationStatus.Succeeded, applied.Status);
        var conf = Assert.Single(h.Observer["h1"].Files.Keys, k => k.StartsWith(SwanctlCommands.ConfDirectory, StringComparison.Ordinal));
        var key = Assert.Single(h.Observer["h1"].SecretFiles);
        Assert.Equal(conf.Replace(".conf", ".secrets.conf", StringComparison.Ordinal), key);
        Assert.Equal(conf, Assert.Single(h.Observer["h2"].Files.Keys, k => k.StartsWith(SwanctlCommands.ConfDirectory, StringComparison.Ordinal)));
        Assert.Equal(0, (await h.ApplyAsync("lan")).Result!.Plan!.StepCount);

        Assert.Equal(OperationStatus.Succeeded, (await h.TeardownAsync("lan")).Status);
        Assert.Empty(h.Observer["h1"].Files);
        Assert.Empty(h.Observer["h1"].SecretFiles);
    }

    [Fact]
    public async Task Turning_encryption_on_for_an_applied_segment_is_a_change_that_keeps_its_container_running()
    {
        await using var h = new ServiceHarness();
        h.Observer["h1"].Ipsec = Ready;
        h.Observer["h2"].Ipsec = Ready;
        await h.CreateAsync(ServiceHarness.Spec("lan", Transport.Gretap, "h1", "h2"));
        Assert.Equal(OperationStatus.Succeeded, (await h.ApplyAsync("lan")).Status);

        var set = await h.Service.SetEncryptionAsync("lan", Encryption.Ipsec, ServiceHarness.User);
        Assert.True(set.IsOk, string.Join("; ", set.Errors));
        var changed = await h.ApplyAsync("lan");

        Assert.Equal(OperationStatus.Succeeded, changed.Status);
        var steps = changed.Result!.Plan!.Hosts.SelectMany(x => x.Steps).Select(s => s.Id).ToList();
        Assert.Contains(steps, id => id.StartsWith("ipsec:", StringComparison.Ordinal));
        Assert.DoesNotContain(steps, id => id.StartsWith("lxc-", StringComparison.Ordinal) || id.StartsWith("link:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_segment_on_a_host_without_strongswan_is_refused_naming_the_host_and_nothing_is_stored()
    {
        await using var h = new ServiceHarness();
        h.Observer["h1"].Ipsec = Ready;

        var created = await h.Service.CreateAsync(ServiceHarness.Spec("lan", Transport.Gretap, "h1", "h2") with { Encryption = Encryption.Ipsec }, ServiceHarness.User);

        Assert.False(created.IsOk);
        var error = Assert.Single(created.Errors);
        Assert.Equal(("encryption", "host h2 cannot do IPsec: the kernel has no xfrm (IPsec); strongSwan is not installed (Debian: apt install strongswan-swanctl charon-systemd)"),
            (error.Path, error.Message));
        Assert.Null(await h.Service.FindAsync("lan"));
        Assert.Empty(h.Executor.Calls);
    }

    [Fact]
    public async Task A_host_whose_kernel_has_xfrm_but_no_esp_is_refused_naming_the_host_and_the_module_and_nothing_runs()
    {
        await using var h = new ServiceHarness();
        h.Observer["h1"].Ipsec = Ready;
        h.Observer["h2"].Ipsec = Ready with { Kernel = Lacking("esp") };

        var created = await h.Service.CreateAsync(ServiceHarness.Spec("lan", Transport.Vxlan, "h1", "h2") with { Encryption = Encryption.Ipsec }, ServiceHarness.User);

        var error = Assert.Single(created.Errors);
        Assert.Equal(("encryption", "host h2 cannot do IPsec: the kernel has no ESP: module esp4 (CONFIG_INET_ESP) is missing"), (error.Path, error.Message));
        Assert.Empty(h.Executor.Calls);
    }

    [Fact]
    public async Task An_applied_segment_is_refused_once_a_hosts_kernel_has_neither_proposals_algorithms()
    {
        await using var h = new ServiceHarness();
        await CreateEncryptedVxlanAsync(h);
        h.Observer["h1"].Ipsec = Ready with { Kernel = Lacking("gcm", "authenc") };
        var calls = h.Executor.Calls.Count;

        var applied = await h.ApplyAsync("lan");

        Assert.Equal(OperationStatus.Refused, applied.Status);
        var problem = Assert.Single(applied.Result!.Problems);
        Assert.Equal("the segment cannot be planned: encryption: host h1 cannot do IPsec: the kernel has the algorithms of neither ESP proposal: "
            + "AES-GCM lacks module gcm (CONFIG_CRYPTO_GCM), AES-CBC with HMAC-SHA-256 lacks module authenc (CONFIG_CRYPTO_AUTHENC)", problem.Message);
        Assert.Equal(calls, h.Executor.Calls.Count);
    }

    /// <summary>An encrypted VXLAN segment "lan" over h1 and h2, both ready for IPsec.</summary>
    private static async Task CreateEncryptedVxlanAsync(ServiceHarness h)
    {
        h.Observer["h1"].Ipsec = Ready;
        h.Observer["h2"].Ipsec = Ready;
        await h.CreateAsync(ServiceHarness.Spec("lan", Transport.Vxlan, "h1", "h2") with { Encryption = Encryption.Ipsec });
    }

    private static EspKernelSupport Lacking(params string[] features) => new([.. EspKernelProbe.Pieces.Where(p => features.Contains(p.Feature))]);
}
