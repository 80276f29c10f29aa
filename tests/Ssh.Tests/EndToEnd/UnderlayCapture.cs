using System.Diagnostics;

namespace Superbridge.Ssh.Tests.EndToEnd;

/// <summary>
/// tcpdump on the lab's underlay bridge (this machine's root namespace, where every lab host and VM tap is a port) between
/// two addresses while something runs: what crossed the wire, one line per packet as <c>tcpdump -n</c> prints it.
/// </summary>
internal static class UnderlayCapture
{
    public static async Task<List<string>> BetweenAsync(string bridge, string a, string b, Func<Task> traffic)
    {
        var start = new ProcessStartInfo("tcpdump", ["-i", bridge, "-n", "-l", "-U", $"host {a} and host {b}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var tcpdump = Process.Start(start)!;
        var lines = new List<string>();
        var reading = Task.Run(async () =>
        {
            while (await tcpdump.StandardOutput.ReadLineAsync() is { } line) lock (lines) lines.Add(line);
        });
        // tcpdump says "listening on ..." on stderr once its filter is in place.
        var said = new List<string>();
        while (await tcpdump.StandardError.ReadLineAsync() is { } line)
        {
            said.Add(line);
            if (line.Contains("listening on", StringComparison.Ordinal)) break;
        }
        if (!said.Any(l => l.Contains("listening on", StringComparison.Ordinal)))
            throw new InvalidOperationException("tcpdump did not start: " + string.Join("\n", said));
        try
        {
            await traffic();
            await Task.Delay(500);
        }
        finally
        {
            tcpdump.Kill();
            await reading;
        }
        lock (lines) return [.. lines];
    }

    /// <summary>
    /// ESP, IKE (UDP 500/4500, "isakmp", and the ICMP port-unreachable a host without charon answers it with) or ARP:
    /// all an encrypted segment may show in clear between two hosts.
    /// </summary>
    public static bool IsEspIkeOrArp(string line) =>
        line.Contains(": ESP(spi=", StringComparison.Ordinal) || line.Contains("isakmp", StringComparison.Ordinal)
        || line.Contains(" ARP, ", StringComparison.Ordinal)
        || line.Contains(" udp port 500 unreachable", StringComparison.Ordinal) || line.Contains(" udp port 4500 unreachable", StringComparison.Ordinal);

    public static bool IsEsp(string line) => line.Contains(": ESP(spi=", StringComparison.Ordinal);
}
