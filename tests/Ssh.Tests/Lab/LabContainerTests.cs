using Superbridge.Lab;
using static Superbridge.Ssh.Tests.Lab.LabSshAccessTests;

namespace Superbridge.Ssh.Tests.Lab;

[Collection(LabCollection.Name)]
public sealed class LabContainerTests(LabFixture fixture)
{
    private readonly LabEnvironment _lab = fixture.Lab;

    [Fact]
    public async Task Each_host_lists_exactly_its_own_two_containers_all_running()
    {
        foreach (var host in _lab.Hosts)
        {
            var listing = (await _lab.SshAsRootAsync(host, "lxc-ls --fancy --fancy-format NAME,STATE")).EnsureSuccess();
            var rows = Lines(listing.StandardOutput).Skip(1)
                .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .ToDictionary(columns => columns[0], columns => columns[1]);

            Assert.Equal(2, host.Containers.Count);
            Assert.Equal(host.Containers.Order(), rows.Keys.Order());
            Assert.All(rows.Values, state => Assert.Equal("RUNNING", state));
        }
    }

    [Fact]
    public async Task Container_names_differ_from_host_to_host_and_the_machine_store_has_none_of_them()
    {
        var all = _lab.Hosts.SelectMany(host => host.Containers).ToList();
        Assert.Equal(all.Count, all.Distinct().Count());

        var machine = (await LabProcess.RunAsync("lxc-ls", ["-1"])).EnsureSuccess();
        Assert.Empty(Lines(machine.StandardOutput).Intersect(all));
    }

    [Fact]
    public async Task Containers_have_a_veth_nic_attached_to_no_bridge()
    {
        foreach (var host in _lab.Hosts)
        {
            foreach (var container in host.Containers)
            {
                var config = (await _lab.SshAsRootAsync(
                    host, $"grep '^lxc\\.net\\.' {host.LxcPath}/{container}/config")).EnsureSuccess();
                Assert.Contains("lxc.net.0.type = veth", Lines(config.StandardOutput));
                Assert.DoesNotContain(Lines(config.StandardOutput), line => line.StartsWith("lxc.net.0.link"));

                var info = (await _lab.SshAsRootAsync(host, $"lxc-info -n {container}")).EnsureSuccess();
                var hostSide = Lines(info.StandardOutput).Single(line => line.StartsWith("Link:")).Split(' ')[^1];
                var link = (await _lab.SshAsRootAsync(host, $"ip -o link show dev {hostSide}")).EnsureSuccess();
                Assert.Contains("state UP", link.StandardOutput);
                Assert.DoesNotContain(" master ", link.StandardOutput);
            }
        }
    }

    [Fact]
    public async Task Containers_run_a_background_dhcp_client_on_eth0()
    {
        foreach (var host in _lab.Hosts)
        {
            foreach (var container in host.Containers)
            {
                var processes = (await _lab.SshAsRootAsync(host, $"lxc-attach -n {container} -- ps")).EnsureSuccess();

                Assert.Contains(Lines(processes.StandardOutput),
                    line => line.Contains("udhcpc") && line.Contains("-b") && line.Contains("-i eth0"));
            }
        }
    }

    [Fact]
    public async Task Container_processes_live_in_cgroups_under_the_lab_prefix()
    {
        foreach (var host in _lab.Hosts)
        {
            var hostId = host.Name[(_lab.Description.Prefix.Length + 1)..];
            foreach (var container in host.Containers)
            {
                var pid = (await _lab.SshAsRootAsync(host, $"lxc-info -n {container} -p -H")).EnsureSuccess();
                var cgroups = await File.ReadAllLinesAsync($"/proc/{pid.StandardOutput.Trim()}/cgroup");

                Assert.NotEmpty(cgroups);
                Assert.All(cgroups, line =>
                    Assert.EndsWith($":/{_lab.Description.Prefix}/{hostId}/lxc.payload.{container}", line));
            }
        }
    }
}
