using System.Diagnostics;
using System.Net;
using Superbridge.Lab;

namespace Superbridge.Ssh.Tests.EndToEnd;

/// <summary>Looking at containers on lab hosts from outside: leases, pings, their network namespace.</summary>
internal static class LabProbes
{
    public static readonly TimeSpan LeaseDeadline = TimeSpan.FromSeconds(45);

    /// <summary>Polls <c>lxc-ls -f</c> over SSH until the container shows an IPv4 address in the range.</summary>
    public static async Task<string> WaitForLeaseAsync(LabEnvironment lab, LabHost host, string container, string rangeStart, string rangeEnd)
    {
        var clock = Stopwatch.StartNew();
        var last = "";
        while (true)
        {
            var listing = (await lab.SshAsRootAsync(host, "lxc-ls -f -F NAME,STATE,IPV4")).EnsureSuccess();
            last = listing.StandardOutput;
            var row = listing.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .FirstOrDefault(columns => columns.Length >= 3 && columns[0] == container);
            var address = row?[2].Split(',')[0].Trim();
            if (address is not null && IPAddress.TryParse(address, out _) && InRange(address, rangeStart, rangeEnd))
                return address;
            if (clock.Elapsed > LeaseDeadline)
                throw new TimeoutException($"{container} on {host.Name} got no lease in {rangeStart}-{rangeEnd} within {LeaseDeadline}; lxc-ls -f:\n{last}");
            await Task.Delay(500);
        }
    }

    public static bool InRange(string address, string start, string end) =>
        Number(address) >= Number(start) && Number(address) <= Number(end);

    private static uint Number(string address) =>
        BitConverter.ToUInt32(IPAddress.Parse(address).GetAddressBytes().Reverse().ToArray());

    /// <summary>The container's init pid as the machine sees it (lab hosts share the machine's pid namespace).</summary>
    public static async Task<string> ContainerPidAsync(LabEnvironment lab, LabHost host, string container)
    {
        var info = (await lab.SshAsRootAsync(host, $"lxc-info -n {container} -p -H")).EnsureSuccess();
        return info.StandardOutput.Trim();
    }

    /// <summary>
    /// iputils ping inside the container's network namespace (busybox ping has no -M do): <c>-M do</c> sets
    /// don't-fragment and forbids local fragmentation, <c>-s</c> is the ICMP payload (IP packet = payload + 28).
    /// </summary>
    public static Task<CommandResult> PingWithDontFragmentAsync(string pid, string destination, int payload) =>
        LabProcess.RunAsync("nsenter", ["-t", pid, "-n", "ping", "-M", "do", "-s", payload.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-c", "3", "-i", "0.2", "-W", "2", destination], TimeSpan.FromSeconds(30));

    public static bool HasIputilsPing() =>
        File.Exists("/usr/bin/ping") || File.Exists("/bin/ping");
}
