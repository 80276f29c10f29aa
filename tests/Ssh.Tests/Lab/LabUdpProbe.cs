using Superbridge.Lab;

namespace Superbridge.Ssh.Tests.Lab;

/// <summary>
/// One UDP datagram from one lab host to another and, if it arrives, an answer back, with the machine's
/// python3 (busybox nc here has no UDP, socat is not installed). The listener prints the source address it saw;
/// the sender prints the source address of the answer, or "nothing" when none came.
/// </summary>
internal static class LabUdpProbe
{
    // /usr/bin/python3, not the PATH's: the hosts' /root (where a developer's pyenv lives) is their own.
    private const string Python = "/usr/bin/python3";

    private const string Listener = """
        import socket, sys
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(("", int(sys.argv[1])))
        s.settimeout(float(sys.argv[2]))
        print("listening", flush=True)
        try:
            data, peer = s.recvfrom(512)
            s.sendto(b"answer", peer)
            print(peer[0])
        except socket.timeout:
            print("nothing")
        """;

    private const string Sender = """
        import socket, sys
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.settimeout(1)
        for _ in range(int(sys.argv[3])):
            s.sendto(b"probe", (sys.argv[1], int(sys.argv[2])))
            try:
                data, peer = s.recvfrom(512)
                print(peer[0])
                break
            except socket.timeout:
                pass
        else:
            print("nothing")
        """;

    /// <summary>What the listener on <paramref name="to"/> saw as the sender's address and what the sender saw as
    /// the answer's ("nothing" for either when no datagram arrived).</summary>
    public static async Task<(string ListenerSaw, string SenderSaw)> SendAsync(
        LabEnvironment lab, LabHost from, LabHost to, string toAddress, int port, int seconds = 5)
    {
        var listener = lab.RunOnHostAsync(to, [Python, "-c", Listener, $"{port}", $"{seconds + 2}"], TimeSpan.FromSeconds(seconds + 10));
        await WaitForListenerAsync(lab, to, port);
        var sender = (await lab.RunOnHostAsync(from, [Python, "-c", Sender, toAddress, $"{port}", $"{seconds}"], TimeSpan.FromSeconds(seconds + 10))).EnsureSuccess();
        var heard = (await listener).EnsureSuccess();
        return (heard.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1].Trim(), sender.StandardOutput.Trim());
    }

    private static async Task WaitForListenerAsync(LabEnvironment lab, LabHost host, int port)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var sockets = await lab.RunOnHostAsync(host, ["ss", "-Hlun", $"sport = :{port}"]);
            if (sockets.StandardOutput.Trim().Length > 0)
            {
                return;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"no UDP listener on {host.Name}:{port} after 5 s");
    }
}
