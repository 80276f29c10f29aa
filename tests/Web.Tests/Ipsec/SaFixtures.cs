using System.Collections.Immutable;
using Superbridge.Core.Model;
using Superbridge.Core.Observed;
using Superbridge.Core.Planning;
using Superbridge.Web.Inventory;
using Superbridge.Web.Tests.Support;
using Superbridge.Web.Topology;
using static Superbridge.Web.Tests.Topology.TopologyFixtures;

namespace Superbridge.Web.Tests.Ipsec;

/// <summary>
/// The encrypted VXLAN segment the SA fixtures are written for (tests/Core.Tests/Fixtures/swanctl-list-sas): segment
/// "blue" between lab VMs sblab-vm1 (198.51.100.211) and sblab-vm2 (.212), so its connection is named as captured.
/// </summary>
public static class SaFixtures
{
    public const string Vm1 = "sblab-vm1";
    public const string Vm2 = "sblab-vm2";

    public static SegmentSpec Spec { get; } = new()
    {
        Name = "blue",
        Transport = Transport.Vxlan,
        Members = [Vm1, Vm2],
        Encryption = Encryption.Ipsec,
    };

    public static string Connection => IpsecPair.Of(Spec).Single().Name;

    /// <summary>A <c>swanctl --list-sas</c> output of the fixtures, parsed.</summary>
    public static ImmutableArray<ObservedIkeSa> Read(string file) =>
        SwanctlSasParser.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "tests/Core.Tests/Fixtures/swanctl-list-sas", file)));

    /// <summary>The host read at <paramref name="readAt"/>, its SAs as in <paramref name="file"/>.</summary>
    public static HostStatus Read(string host, string file, DateTimeOffset readAt) => new()
    {
        HostId = host,
        State = HostState.Online,
        Observed = ObservedHost.Empty(host) with { IpsecSas = Read(file) },
        ObservedAt = readAt,
        RefreshedAt = readAt,
    };

    public static KnownHosts Hosts(params HostStatus[] statuses) => new(
        [Host(Vm1, "198.51.100.211"), Host(Vm2, "198.51.100.212")], statuses.ToImmutableDictionary(s => s.HostId));
}
