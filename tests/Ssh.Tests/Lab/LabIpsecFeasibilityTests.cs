using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Superbridge.Lab;
using Xunit.Abstractions;
using static Superbridge.Ssh.Tests.Lab.LabSshAccessTests;

namespace Superbridge.Ssh.Tests.Lab;

/// <summary>
/// Proves the lab supports what Superbridge's IPsec will do, with plain shell commands over SSH: each namespace
/// host runs its own charon, and a hand-made swanctl transport-mode IKEv2 PSK connection for VXLAN's UDP port 4789
/// between two hosts' underlay addresses (trap policies: the first VXLAN packet starts the exchange) covers a plain
/// VXLAN device pair. Always proven: the two charons establish the IKE SA, a third host's charon knows nothing of it,
/// and no VXLAN packet crosses the underlay bridge in clear. Where the kernel has ESP, also: the ping across the VXLAN
/// pair answers and crosses the bridge as ESP in both directions. This machine's kernel has the XFRM framework but
/// no ESP (CONFIG_INET_ESP, no AEAD/authenc, no modules): charon's CHILD_SA install fails with ENOSYS and the trap
/// policies drop the VXLAN packets, so ESP itself is proven on the VM hosts (lab/README.md, "IPsec").
/// </summary>
[Collection(LabCollection.Name)]
public sealed class LabIpsecFeasibilityTests(LabFixture fixture, ITestOutputHelper output)
{
    private const string Tunnel = "sbtest-vx1";
    private const int Vni = 4250;
    private const string Connection = "sbtest-ipsec";
    private const string ConfFile = "/etc/swanctl/conf.d/sbtest-ipsec.conf";
    private const string ProbeSpi = "0x5b7e5701";
    private static readonly string[] TestAddresses = ["10.250.0.1", "10.250.0.2"];
    private static readonly TimeSpan CaptureStartDeadline = TimeSpan.FromSeconds(10);
    /// <summary>The kernel's SAs and SPD policies (charon's per-socket IKE bypass policies, "socket in/out", are not
    /// of any connection and stay).</summary>
    private const string XfrmCommands = "ip xfrm state; ip xfrm policy | grep 'dir ' || true";

    private readonly LabEnvironment _lab = fixture.Lab;

    [Fact]
    public async Task Vxlan_between_two_hosts_is_covered_by_their_own_charons_never_crosses_in_clear_and_a_third_host_sees_no_sa()
    {
        var left = _lab.Host(1);
        var right = _lab.Host(2);
        var bystander = _lab.Host(3);
        foreach (var host in new[] { left, right, bystander })
        {
            Assert.True(host.Charon is not null,
                $"{host.Name} runs no charon: install strongswan-charon and strongswan-swanctl (test.sh does) and run lab/up again");
        }
        var psk = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var capture = $"{_lab.Description.StateDir}/sbtest-ipsec.pcap";
        Process? tcpdump = null;

        try
        {
            var esp = await KernelHasEspAsync(left, right);
            output.WriteLine(esp
                ? "the kernel has ESP with AES-GCM: proving the SAs carry the VXLAN traffic"
                : "the kernel has no ESP (AES-GCM): proving IKE, isolation and that nothing crosses in clear");

            // Both ends' configuration first, so neither answers the other's first IKE_SA_INIT with NO_PROPOSAL_CHOSEN.
            foreach (var (host, peer) in new[] { (left, right), (right, left) })
            {
                var config = Convert.ToBase64String(Encoding.UTF8.GetBytes(SwanctlConfig(host, peer, psk)));
                var loaded = (await _lab.SshAsRootAsync(host, $"""
                    set -e
                    umask 077
                    echo {config} | base64 -d > {ConfFile}
                    swanctl --load-all --noprompt
                    """)).EnsureSuccess();
                Assert.Contains($"loaded connection '{Connection}'", loaded.StandardOutput);
            }

            tcpdump = await StartCaptureAsync(capture, left.Address, right.Address);
            foreach (var (host, peer, address) in new[] { (left, right, TestAddresses[0]), (right, left, TestAddresses[1]) })
            {
                (await _lab.SshAsRootAsync(host, $"""
                    set -e
                    ip link add {Tunnel} type vxlan id {Vni} local {host.Address} remote {peer.Address} dstport 4789 dev eth0
                    ip addr add {address}/24 dev {Tunnel}
                    ip link set {Tunnel} up
                    """)).EnsureSuccess();
            }

            // Trap policies: the first VXLAN packets (ARP, then ICMP) only start the IKE exchange, so wait for the
            // first reply, then send a few pings more through the SAs. Without ESP no reply can come: a few tries.
            var ping = await _lab.SshAsRootAsync(right, $"""
                for i in $(seq 1 {(esp ? 20 : 4)}); do busybox ping -c 1 -W 1 {TestAddresses[0]} >/dev/null 2>&1 && break; done
                busybox ping -c 5 -i 0.2 -W 2 {TestAddresses[0]}
                """);
            var sas = (await _lab.SshAsRootAsync(left, "swanctl --list-sas")).EnsureSuccess().StandardOutput;
            await StopCaptureAsync(tcpdump);

            Assert.Contains($"{Connection}: #", sas);
            Assert.Contains("ESTABLISHED, IKEv2", sas);
            var ike = await ReadCaptureAsync(capture, "udp port 500 or udp port 4500");
            Assert.Contains(ike, packet => packet.Contains($"{left.Address}.500 > {right.Address}.500")
                || packet.Contains($"{right.Address}.500 > {left.Address}.500"));
            var clear = await ReadCaptureAsync(capture, "udp port 4789");
            Assert.True(clear.Count == 0, $"VXLAN crossed the underlay in clear:\n{string.Join('\n', clear)}");

            var espPackets = await ReadCaptureAsync(capture, "ip proto 50");
            if (esp)
            {
                ping.EnsureSuccess();
                Assert.Contains("INSTALLED, TRANSPORT, ESP:AES_GCM_16-256", sas);
                Assert.Contains($"remote {right.Address}/32[udp/4789]", sas);
                Assert.Contains(espPackets, packet => packet.Contains($"{right.Address} > {left.Address}: ESP"));
                Assert.Contains(espPackets, packet => packet.Contains($"{left.Address} > {right.Address}: ESP"));
                Assert.True(espPackets.Count >= 10, $"expected the pings in ESP, captured only:\n{string.Join('\n', espPackets)}");
            }
            else
            {
                var log = await File.ReadAllTextAsync(left.Charon!.Log);
                Assert.Contains("unable to install inbound and outbound IPsec SA (SAD) in kernel", log);
                Assert.Empty(espPackets);
            }

            var elsewhere = (await _lab.SshAsRootAsync(bystander, $"swanctl --list-sas; swanctl --list-conns; {XfrmCommands}"))
                .EnsureSuccess();
            Assert.Equal("", elsewhere.StandardOutput.Trim());
        }
        finally
        {
            if (tcpdump is not null)
            {
                if (!tcpdump.HasExited)
                {
                    tcpdump.Kill();
                }
                tcpdump.Dispose();
            }
            File.Delete(capture);
            // Unloading removes the connection and its trap policies; the kernel's larval SAs of trap hits that
            // found no SA (spi 0, kept until the acquire expires, 30 s) are not found by deleting them one by one,
            // only by a flush of the host's ESP states (the two hosts are this test's while it runs).
            foreach (var host in new[] { left, right })
            {
                await _lab.SshAsRootAsync(host, $"""
                    swanctl --terminate --ike {Connection} --force >/dev/null 2>&1
                    rm -f {ConfFile}
                    swanctl --load-all --noprompt
                    ip link del {Tunnel}
                    ip xfrm state flush proto esp
                    """);
            }
        }

        // Back as before: no configuration, no SA, no policy on either host (the peer's DELETE may take a moment).
        foreach (var host in new[] { left, right })
        {
            var clock = Stopwatch.StartNew();
            while (true)
            {
                var leftOver = (await _lab.SshAsRootAsync(host,
                    $"swanctl --list-sas; swanctl --list-conns; {XfrmCommands}; ip -o link show {Tunnel} 2>/dev/null; ls /etc/swanctl/conf.d"))
                    .EnsureSuccess().StandardOutput.Trim();
                if (leftOver == "")
                {
                    break;
                }
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"{host.Name} still has after cleanup:\n{leftOver}");
                await Task.Delay(250);
            }
        }
    }

    /// <summary>Whether the host's kernel takes an ESP SA with AES-GCM (the test's esp_proposals): a throw-away SA
    /// added and deleted at once.</summary>
    private async Task<bool> KernelHasEspAsync(LabHost host, LabHost peer)
    {
        var key = Convert.ToHexString(RandomNumberGenerator.GetBytes(36));
        var probe = await _lab.SshAsRootAsync(host,
            $"ip xfrm state add src {host.Address} dst {peer.Address} proto esp spi {ProbeSpi} mode transport aead 'rfc4106(gcm(aes))' 0x{key} 128 "
            + $"&& ip xfrm state delete src {host.Address} dst {peer.Address} proto esp spi {ProbeSpi}");
        return probe.Succeeded;
    }

    /// <summary>Transport mode between the two underlay addresses for VXLAN's port in both directions: one child
    /// for this host's VXLAN packets to the peer's port 4789, one for the peer's to this host's.</summary>
    private static string SwanctlConfig(LabHost host, LabHost peer, string psk) => $$"""
        # Written by LabIpsecFeasibilityTests; removed by it.
        connections {
          {{Connection}} {
            version = 2
            local_addrs = {{host.Address}}
            remote_addrs = {{peer.Address}}
            local {
              auth = psk
              id = {{host.Address}}
            }
            remote {
              auth = psk
              id = {{peer.Address}}
            }
            children {
              {{Connection}}-out {
                mode = transport
                local_ts = {{host.Address}}[udp]
                remote_ts = {{peer.Address}}[udp/4789]
                esp_proposals = aes256gcm16
                start_action = trap
              }
              {{Connection}}-in {
                mode = transport
                local_ts = {{host.Address}}[udp/4789]
                remote_ts = {{peer.Address}}[udp]
                esp_proposals = aes256gcm16
                start_action = trap
              }
            }
          }
        }
        secrets {
          ike-{{Connection}} {
            id-1 = {{host.Address}}
            id-2 = {{peer.Address}}
            secret = 0s{{psk}}
          }
        }

        """;

    /// <summary>tcpdump on the lab's underlay bridge (promiscuous, so it also sees what the bridge forwards
    /// between two hosts' ports), packet-buffered so a stop loses nothing; returns once it listens.</summary>
    private async Task<Process> StartCaptureAsync(string file, string first, string second)
    {
        var startInfo = new ProcessStartInfo("tcpdump")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-i", _lab.Description.Underlay.Bridge, "-n", "-U", "-Z", "root", "-w", file,
                     $"host {first} and host {second}" })
        {
            startInfo.ArgumentList.Add(argument);
        }
        var process = Process.Start(startInfo) ?? throw new InvalidOperationException("could not start tcpdump");
        using var deadline = new CancellationTokenSource(CaptureStartDeadline);
        var said = new StringBuilder();
        while (true)
        {
            var line = await process.StandardError.ReadLineAsync(deadline.Token);
            if (line is null)
            {
                await process.WaitForExitAsync(deadline.Token);
                throw new InvalidOperationException($"tcpdump exited with {process.ExitCode}: {said}");
            }
            said.AppendLine(line);
            if (line.Contains("listening on"))
            {
                return process;
            }
        }
    }

    private static async Task StopCaptureAsync(Process tcpdump)
    {
        (await LabProcess.RunAsync("kill", ["-INT", tcpdump.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])).EnsureSuccess();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await tcpdump.WaitForExitAsync(deadline.Token);
    }

    private static async Task<IReadOnlyList<string>> ReadCaptureAsync(string file, string filter)
    {
        var read = (await LabProcess.RunAsync("tcpdump", ["-n", "-r", file, filter])).EnsureSuccess();
        return Lines(read.StandardOutput);
    }
}
