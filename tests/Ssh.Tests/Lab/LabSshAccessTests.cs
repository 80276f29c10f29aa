using Superbridge.Lab;

namespace Superbridge.Ssh.Tests.Lab;

[Collection(LabCollection.Name)]
public sealed class LabSshAccessTests(LabFixture fixture)
{
    private readonly LabEnvironment _lab = fixture.Lab;

    [Fact]
    public async Task Every_host_lets_root_in_with_the_lab_key_and_has_its_own_hostname()
    {
        foreach (var host in _lab.Hosts)
        {
            var result = (await _lab.SshAsRootAsync(host, "id -un; hostname")).EnsureSuccess();

            Assert.Equal(["root", host.Name], Lines(result.StandardOutput));
        }
    }

    [Fact]
    public async Task Every_host_lets_the_sudo_user_in_and_grants_passwordless_sudo()
    {
        foreach (var host in _lab.Hosts)
        {
            var result = (await _lab.SshAsync(host, host.Users.Sudo, "id -un; sudo -n id -un")).EnsureSuccess();

            Assert.Equal([host.Users.Sudo, "root"], Lines(result.StandardOutput));
            Assert.DoesNotContain("unable to resolve host", result.StandardError);
        }
    }

    [Fact]
    public async Task Every_host_presents_the_host_key_published_in_the_lab_description()
    {
        foreach (var host in _lab.Hosts)
        {
            var scan = (await LabProcess.RunAsync(
                "ssh-keyscan", ["-T", "5", "-t", "ed25519", "-p", host.Port.ToString(), host.Address])).EnsureSuccess();
            var keyLine = Assert.Single(Lines(scan.StandardOutput), line => !line.StartsWith('#'));
            var published = (await File.ReadAllTextAsync(host.HostKeyPath)).Split(' ');

            Assert.Equal(published[1], keyLine.Split(' ')[2]);
            Assert.StartsWith("SHA256:", host.HostKeyFingerprint);
        }
    }

    [Fact]
    public async Task A_key_other_than_the_lab_key_is_refused()
    {
        var host = _lab.Host(1);
        var directory = Directory.CreateTempSubdirectory("sblab-test-");
        try
        {
            var otherKey = Path.Combine(directory.FullName, "id_ed25519");
            (await LabProcess.RunAsync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", otherKey])).EnsureSuccess();
            var options = _lab.SshOptions(host).ToArray();
            options[Array.IndexOf(options, "-i") + 1] = otherKey;

            var result = await LabProcess.RunAsync("ssh", [.. options, $"root@{host.Address}", "true"]);

            Assert.Equal(255, result.ExitCode);
            Assert.Contains("Permission denied", result.StandardError);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    internal static string[] Lines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
