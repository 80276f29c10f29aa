using System.Collections.Concurrent;
using Superbridge.Lab;
using Superbridge.Operations;
using Superbridge.Ssh.Apply;
using Superbridge.Ssh.Tests.Lab;
using static Superbridge.Ssh.Tests.EndToEnd.VxlanSegmentEndToEndTests;

namespace Superbridge.Ssh.Tests.EndToEnd;

/// <summary>The whole apply path as the lab's non-root user, every command through <c>sudo -n --</c>.</summary>
[Collection(LabCollection.Name)]
public sealed class SudoUserEndToEndTests(LabFixture fixture)
{
    private readonly LabEnvironment _lab = fixture.Lab;

    [Fact]
    public async Task The_sudo_user_applies_a_segment_with_an_attached_container_and_tears_it_down_to_the_state_before()
    {
        var (h1, h3) = (_lab.Host(1), _lab.Host(3));
        var container = h3.Containers[1];
        await using var lab = LabSegments.Create(_lab, useSudo: true);
        var hosts = lab.Hosts(h1, h3);
        var spec = LabSegments.VxlanSpec("e2esudo", "sbsudo0", "10.83.0.1/24", ("10.83.0.100", "10.83.0.199"), [h1, h3], (h3, container));
        var before = await lab.ObserveAsync(hosts);
        var segment = await lab.AllocateAsync(spec, hosts);
        var events = new ConcurrentQueue<ApplyEvent>();
        try
        {
            var applied = await lab.Applier.RunAsync(SegmentOperation.Apply(segment), hosts, onEvent: Collect(events));

            Assert.True(applied.Status == ApplyStatus.Succeeded, Describe(applied, events));
            Assert.Empty(applied.Drift);
            Assert.All(lab.Audit.Entries, a => Assert.True(a.UsedSudo && a.Username == h1.Users.Sudo, a.CommandLine));
            await LabProbes.WaitForLeaseAsync(_lab, h3, container, "10.83.0.100", "10.83.0.199");

            events.Clear();
            var teardown = await lab.Applier.RunAsync(SegmentOperation.Teardown(segment), hosts, onEvent: Collect(events));
            Assert.True(teardown.Status == ApplyStatus.Succeeded, Describe(teardown, events));
            await lab.AssertAsBeforeAsync(before, hosts);
        }
        finally
        {
            await CleanUpAsync(lab, segment, hosts, onlyIfLeft: true);
        }
    }
}
