using Superbridge.Lab;
using static Superbridge.Ssh.Tests.Lab.LabSshAccessTests;

namespace Superbridge.Ssh.Tests.Lab;

[Collection(LabCollection.Name)]
public sealed class LabUpstreamTests(LabFixture fixture)
{
    private readonly LabEnvironment _lab = fixture.Lab;

    [Fact]
    public async Task Every_host_routes_to_upstream_by_default()
    {
        foreach (var host in _lab.Hosts)
        {
            var route = (await _lab.SshAsRootAsync(host, "ip route show default")).EnsureSuccess();

            Assert.StartsWith($"default via {_lab.Description.Underlay.Gateway} dev eth0", route.StandardOutput);
        }
    }

    [Fact]
    public async Task Upstream_answers_ping_from_every_host_and_reports_the_host_address_as_source()
    {
        var upstream = _lab.Description.Upstream;
        foreach (var host in _lab.Hosts)
        {
            (await _lab.SshAsRootAsync(host, $"busybox ping -c 1 -W 2 {upstream.Address}")).EnsureSuccess();
            var seen = (await _lab.SshAsRootAsync(host, $"busybox wget -q -O - {upstream.WhoamiUrl}")).EnsureSuccess();

            Assert.Equal(host.Address, seen.StandardOutput.Trim());
        }

        var log = Lines(await File.ReadAllTextAsync(upstream.SeenLog)).Select(line => line.Split(' ')[1]).ToHashSet();
        Assert.Superset(_lab.Hosts.Select(host => host.Address).ToHashSet(), log);
    }

    [Fact]
    public async Task Upstream_namespace_holds_the_internet_address()
    {
        var upstream = _lab.Description.Upstream;

        var addresses = (await _lab.RunInNamespaceAsync(upstream.Namespace, ["ip", "-o", "-4", "addr", "show"])).EnsureSuccess();

        Assert.Contains($"inet {upstream.Address}/32", addresses.StandardOutput);
        Assert.Contains($"inet {upstream.UnderlayAddress}/{_lab.Description.Underlay.PrefixLength}", addresses.StandardOutput);
    }

    [Fact]
    public async Task Lab_status_reports_the_lab_healthy_and_describes_it_as_lab_up_did()
    {
        var status = (await LabProcess.RunAsync(
            Path.Combine(_lab.RepositoryRoot, "lab", "status"), ["--json"])).EnsureSuccess();

        var described = LabDescription.Parse(status.StandardOutput);
        Assert.Equal(_lab.Hosts.Select(host => host.Address), described.Hosts.Select(host => host.Address));
        Assert.Equal(_lab.Description.SpecialHosts!.Select(host => (host.Name, host.Nat, host.Firewall)), described.SpecialHosts!.Select(host => (host.Name, host.Nat, host.Firewall)));
        Assert.Equal(_lab.Description.KeyPath, described.KeyPath);
    }
}
