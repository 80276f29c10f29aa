using System.Diagnostics;
using Superbridge.Core.Model;
using Superbridge.Core.Mtu;
using Superbridge.Lab;
using Superbridge.Operations;
using Superbridge.Ssh.Paths;
using Superbridge.Ssh.Tests.Lab;
using Xunit.Abstractions;

namespace Superbridge.Ssh.Tests.EndToEnd;

/// <summary>
/// Underlay path MTUs measured by the product's probe program on the lab's hosts, and a VXLAN segment whose MTU
/// follows a path narrower than the hosts' interfaces.
/// </summary>
[Collection(LabCollection.Name)]
public sealed class PathMtuEndToEndTests(LabFixture fixture, ITestOutputHelper output)
{
    private const string Silent = "198.51.100.250"; // on the lab's underlay, but nobody has it: nothing ever answers
    private readonly LabEnvironment _lab = fixture.Lab;

    [Fact]
    public async Task The_probe_program_measures_every_peer_of_a_host_in_one_run_bounded_by_the_interface_and_a_silent_address_drops_every_probe()
    {
        Assert.True(LabProbes.HasIputilsPing(), "the probe program needs iputils ping (apt-get install iputils-ping)");
        var (h1, h2, h3) = (_lab.Host(1), _lab.Host(2), _lab.Host(3));
        await using var lab = LabSegments.Create(_lab);
        var hosts = lab.Hosts(h1, h2, h3);
        var (i1, i2, i3) = (LabSegments.Info(h1), LabSegments.Info(h2), LabSegments.Info(h3));
        UnderlayPath[] paths =
        [
            UnderlayPaths.Between(i1, i2),
            UnderlayPaths.Between(i1, i3) with { InterfaceMtu = 1400 }, // as if h1's interface were smaller: the search stops there
            new(i1.Id, "silent", i1.Address, Silent, 1500),
            UnderlayPaths.Between(i2, i1),
        ];
        var prober = new SshPathProber(lab.Pool, new LabHostTargets(hosts));

        var probed = await prober.ProbeAsync(paths, OperationContext.Outside("lab-test"), CancellationToken.None);

        Assert.Empty(probed.Problems);
        Assert.Equal(paths.Length, probed.Results.Length);
        Assert.Equal([1500, 1400, null, 1500], paths.Select(p => probed.Results.Single(r => r.Path == p).Mtu));
        Assert.Equal("every don't-fragment probe was dropped", probed.Results.Single(r => r.Path.RemoteAddress == Silent).Failure);
        // One program per sending host, covering all its peers.
        var programs = lab.Audit.Entries.Where(e => e.Script?.Contains("path MTU probe", StringComparison.Ordinal) == true).ToList();
        Assert.Equal(["sblab-h1", "sblab-h2"], programs.Select(e => e.HostId.Value).Order());
        Assert.Equal(PathProbeProgram.Build(paths[..3]), programs.Single(e => e.HostId == i1.Id).Script);
    }

    [Fact]
    public async Task A_vxlan_segment_over_a_1400_path_gets_1400_less_the_vxlan_overhead_and_a_df_ping_at_it_crosses_while_one_byte_more_does_not()
    {
        Assert.True(LabProbes.HasIputilsPing(), "this test pings with don't-fragment through iputils ping (apt-get install iputils-ping)");
        var (h1, h2, h3) = (_lab.Host(1), _lab.Host(2), _lab.Host(3));
        var c2 = h2.Containers[0];
        await using var lab = LabSegments.Create(_lab);
        var hosts = lab.Hosts(h1, h2);
        var spec = LabSegments.VxlanSpec("pmtu", "sbpmtu0", "10.91.0.1/24", ("10.91.0.100", "10.91.0.199"), [h1, h2], (h2, c2));
        var infos = LabSegments.Infos(lab.Hosts(h1, h2, h3));
        var before = await lab.ObserveAsync(hosts);
        var segment = await lab.AllocateAsync(spec, hosts);
        var tornDown = false;
        await using (await LabPathMtu.NarrowAsync(_lab, h1, h2, 1400))
        {
            try
            {
                await MeasureAndReportAsync(lab, "2 hosts, 1500 paths", spec with { Members = [LabSegments.Id(h2), LabSegments.Id(h3)] }, infos, expected: 1500);
                await MeasureAndReportAsync(lab, "2 hosts, the 1400 path", spec, infos, expected: 1400);
                await MeasureAndReportAsync(lab, "3 hosts, one 1400 path", spec with { Members = [.. spec.Members, LabSegments.Id(h3)] }, infos, expected: null);

                var applied = await lab.Applier.RunAsync(SegmentOperation.Apply(segment), hosts);

                Assert.True(applied.Status == ApplyStatus.Succeeded, applied.Summary);
                Assert.Empty(applied.Drift);
                Assert.Equal(1400 - MtuCalculator.Overhead(Transport.Vxlan, System.Net.Sockets.AddressFamily.InterNetwork), applied.Plan!.Mtu);
                Assert.Equal([1400, 1400], applied.Plan.Paths.Select(p => p.Mtu));
                Assert.Empty(applied.Plan.Warnings);

                await LabProbes.WaitForLeaseAsync(_lab, h2, c2, "10.91.0.100", "10.91.0.199");
                var pid2 = await LabProbes.ContainerPidAsync(_lab, h2, c2);
                // 1350-byte IP packets (1322 + 28) with don't-fragment reach the router across the 1400 path; 1351 bytes do not.
                var fits = await LabProbes.PingWithDontFragmentAsync(pid2, "10.91.0.1", 1322);
                Assert.True(fits.Succeeded, fits.ToString());
                Assert.Contains("0% packet loss", fits.StandardOutput);
                var tooBig = await LabProbes.PingWithDontFragmentAsync(pid2, "10.91.0.1", 1323);
                Assert.False(tooBig.Succeeded, "a 1351-byte DF packet should not cross a 1350-MTU segment:\n" + tooBig);

                var teardown = await lab.Applier.RunAsync(SegmentOperation.Teardown(segment), hosts);
                tornDown = teardown.Status == ApplyStatus.Succeeded;
                Assert.True(tornDown, teardown.Summary);
                await lab.AssertAsBeforeAsync(before, hosts);
            }
            finally
            {
                if (!tornDown) await VxlanSegmentEndToEndTests.CleanUpAsync(lab, segment, hosts, onlyIfLeft: true);
            }
        }
    }

    /// <summary>Measures a segment's paths from nothing (a meter of its own) and reports how long it took.</summary>
    /// <param name="expected">Every path's figure; null: the h1–h2 paths 1400 and the others 1500.</param>
    private async Task MeasureAndReportAsync(LabSegments lab, string what, SegmentSpec spec, IReadOnlyDictionary<HostId, HostInfo> infos, int? expected)
    {
        var meter = new PathMtuMeter(new SshPathProber(lab.Pool, new LabHostTargets(lab.Hosts(_lab.Host(1), _lab.Host(2), _lab.Host(3)))), TimeProvider.System);
        var clock = Stopwatch.StartNew();
        var (paths, problems) = await meter.MeasureAsync(spec, infos, OperationContext.Outside("lab-test"), CancellationToken.None);
        output.WriteLine($"measuring {what}: {paths.Length} paths in {clock.Elapsed.TotalSeconds:0.00} s");
        Assert.Empty(problems);
        Assert.Equal(UnderlayPaths.Of(spec, infos).Length, paths.Length);
        string[] narrow = ["sblab-h1", "sblab-h2"];
        foreach (var path in paths)
            Assert.Equal(expected ?? (narrow.Contains(path.Path.From.Value) && narrow.Contains(path.Path.To.Value) ? 1400 : 1500), path.Mtu);
    }
}
