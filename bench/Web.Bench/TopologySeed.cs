using System.Collections.Immutable;
using System.Diagnostics;
using Microsoft.AspNetCore.DataProtection;
using Superbridge.Core.Allocation;
using Superbridge.Core.Model;
using Superbridge.Web.Hosts;
using Superbridge.Web.Segments;
using Superbridge.Web.Storage;

namespace Superbridge.Bench.Web;

/// <summary>
/// Hosts and tunnels written into a running dashboard's database with the app's own stores. POST /api/hosts logs in
/// over SSH and POST /api/segments inventories every member, so neither works without real hosts; the stores take
/// what the API would have stored, with identifiers allocated by Core's <see cref="SegmentAllocator"/>.
/// </summary>
public static class TopologySeed
{
    /// <summary>Tunnels per point-to-point segment; a VXLAN segment of <see cref="VxlanMembers"/> hosts adds its pairs.</summary>
    private const int LinksPerSegment = 10;
    private const int VxlanMembers = 5;

    private static readonly Transport[] PointToPoint = [Transport.Gretap, Transport.L2tpv3Udp, Transport.L2tpv3Ip];

    /// <summary>
    /// <paramref name="hostCount"/> hosts at 127.0.0.x on <paramref name="closedPort"/> (nothing listens there, so every
    /// status refresh fails at once as offline), and segments with <paramref name="tunnelCount"/> links in all, applied.
    /// </summary>
    public static async Task SeedAsync(string dataDirectory, int hostCount, int tunnelCount, int closedPort, string keyFile)
    {
        if (hostCount is < 0 or > 250) throw new ArgumentOutOfRangeException(nameof(hostCount), "hosts live at 127.0.0.1..250");
        var connections = new SqliteConnectionFactory(new DataDirectory(dataDirectory));
        // Key-file hosts keep no secret in the database, so nothing is ever encrypted and the key ring is not needed.
        var hosts = new HostStore(connections, new HostSecretProtector(new EphemeralDataProtectionProvider()));
        var segments = new SegmentStore(connections, TimeProvider.System);

        var infos = new Dictionary<HostId, HostInfo>();
        for (var n = 1; n <= hostCount; n++)
        {
            var id = $"host{n:D2}";
            await hosts.AddAsync(new StoredHost
            {
                Id = id,
                Name = id,
                Address = $"127.0.0.{n}",
                Port = closedPort,
                Username = "root",
                Authentication = HostAuthenticationKind.KeyPath,
                PrivateKeyPath = keyFile,
                HostKeyFingerprint = "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU",
                CreatedAt = DateTimeOffset.UtcNow,
            });
            // Core refuses loopback tunnel endpoints, so the allocator is told a documentation address (TEST-NET-2);
            // allocations keep no addresses and nothing is ever sent there: the dashboard only dials the stored 127.0.0.x.
            infos[new HostId(id)] = new HostInfo { Id = new HostId(id), Address = $"198.51.100.{n}" };
        }

        var stored = new List<Segment>();
        foreach (var spec in Specs(hostCount, tunnelCount))
        {
            var allocated = SegmentAllocator.Allocate(spec, infos, stored);
            if (!allocated.IsOk) throw new InvalidOperationException($"segment {spec.Name}: {string.Join("; ", allocated.Errors)}");
            await segments.SaveDesiredAsync(allocated.Value);
            // Applied, as a steady-state dashboard has them: no "pending" marks.
            await segments.MarkAppliedAsync(allocated.Value);
            stored.Add(allocated.Value);
        }
    }

    /// <summary>
    /// Segments whose drawn tunnels add up to <paramref name="tunnelCount"/>: one VXLAN mesh of 5 hosts (10 pairs) when
    /// there are at least 20 tunnels, the rest point-to-point trees of up to 10 links over consecutive hosts, each
    /// segment starting further round the host list so the tunnels spread over every host.
    /// </summary>
    public static IEnumerable<SegmentSpec> Specs(int hostCount, int tunnelCount)
    {
        if (tunnelCount > 0 && hostCount < 2) throw new ArgumentException("tunnels need at least two hosts", nameof(hostCount));
        HostId Host(int index) => new($"host{index % hostCount + 1:D2}");
        var left = tunnelCount;
        var start = 0;
        var number = 0;
        if (tunnelCount >= 20 && hostCount >= VxlanMembers)
        {
            yield return new SegmentSpec
            {
                Name = "mesh", Bridge = "sbmesh", Transport = Transport.Vxlan,
                Members = [.. Enumerable.Range(0, VxlanMembers).Select(Host)],
            };
            left -= VxlanMembers * (VxlanMembers - 1) / 2;
            start += VxlanMembers;
        }
        while (left > 0)
        {
            var links = Math.Min(left, Math.Min(LinksPerSegment, hostCount - 1));
            var members = Enumerable.Range(start, links + 1).Select(Host).ToImmutableArray();
            yield return new SegmentSpec
            {
                Name = $"seg{number}", Bridge = $"sbbr{number}", Transport = PointToPoint[number % PointToPoint.Length],
                Members = members,
                // A binary tree over the members: member i links to member (i - 1) / 2; trees never make a loop.
                Links = [.. Enumerable.Range(1, links).Select(i => new LinkSpec { A = members[(i - 1) / 2], B = members[i] })],
            };
            left -= links;
            start += links + 1;
            number++;
        }
    }

    /// <summary>A throwaway ed25519 key the hosts are stored with; no host ever sees it (their port is closed).</summary>
    public static string CreateKeyFile(string folder)
    {
        var path = Path.Combine(folder, "bench_ed25519");
        using var keygen = Process.Start("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", path]) ?? throw new InvalidOperationException("ssh-keygen did not start");
        keygen.WaitForExit();
        if (keygen.ExitCode != 0) throw new InvalidOperationException($"ssh-keygen exited with {keygen.ExitCode}");
        return path;
    }
}
