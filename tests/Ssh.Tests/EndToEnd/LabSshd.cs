using Superbridge.Lab;

namespace Superbridge.Ssh.Tests.EndToEnd;

/// <summary>Cuts a lab host off SSH and brings it back, for tests of what the product does when a host's connection drops.</summary>
internal static class LabSshd
{
    /// <summary>Kills every sshd in the host's network namespace: the listener and the sessions it serves.</summary>
    public static async Task KillAsync(LabHost host)
    {
        var pids = (await LabProcess.RunAsync("ip", ["netns", "pids", host.Namespace])).EnsureSuccess().StandardOutput
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var sshd = pids.Where(pid => File.Exists($"/proc/{pid}/comm") && TryRead($"/proc/{pid}/comm") == "sshd").ToArray();
        Assert.NotEmpty(sshd);
        await LabProcess.RunAsync("kill", ["-KILL", .. sshd]);
    }

    /// <summary>
    /// Starts the host's sshd again, in the namespaces of a surviving process of the host (a container monitor started
    /// through the old sshd shares its mount and UTS namespaces), unless it is running.
    /// </summary>
    public static async Task RestartAsync(LabHost host)
    {
        var pidText = TryRead(host.SshdPidFile);
        if (pidText is not null && IsLiveSshd(pidText)) return;
        var pids = (await LabProcess.RunAsync("ip", ["netns", "pids", host.Namespace])).EnsureSuccess().StandardOutput
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var anchor = pids.First(pid => TryRead($"/proc/{pid}/comm") == "lxc-start");
        var state = Path.GetDirectoryName(host.SshdPidFile)!;
        File.Delete(host.SshdPidFile);
        (await LabProcess.RunAsync("nsenter", ["--target", anchor, "--net", "--mount", "--uts", "--",
            "/usr/sbin/sshd", "-f", Path.Combine(state, "sshd_config"), "-E", Path.Combine(state, "sshd.log")])).EnsureSuccess();
        for (var i = 0; i < 100 && TryRead(host.SshdPidFile) is null; i++) await Task.Delay(50);
        Assert.True(TryRead(host.SshdPidFile) is not null, $"sshd of {host.Name} did not come back");
    }

    /// <summary>A killed sshd can linger as a zombie (this machine's PID 1 reaps late): its comm still says sshd.</summary>
    private static bool IsLiveSshd(string pid) =>
        TryRead($"/proc/{pid}/comm") == "sshd" && TryRead($"/proc/{pid}/stat") is { } stat && stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z') is false;

    private static string? TryRead(string path)
    {
        try
        {
            var text = File.ReadAllText(path).Trim();
            return text.Length == 0 ? null : text;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
