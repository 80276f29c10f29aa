using System.Text.Json;

namespace Superbridge.Lab;

/// <summary>
/// The lab as described by <c>lab/up --json</c> (also stored in /run/sblab/lab.json). <see cref="Hosts"/> are the
/// plain hosts with containers that most tests use (each of them, often); <see cref="SpecialHosts"/> are the hosts
/// behind a 1:1 NAT or with a firewall (<c>--nat-hosts</c>, <c>--firewall-hosts</c>), kept apart so tests of every
/// plain host are unaffected; <see cref="ScaleHosts"/> are the many container-less hosts for tests of a large segment.
/// </summary>
public sealed record LabDescription(
    string Prefix,
    string StateDir,
    string KeyPath,
    string PublicKey,
    IReadOnlyList<LabHost> Hosts,
    LabUpstream Upstream,
    LabUnderlay Underlay,
    LabOverlay Overlay,
    IReadOnlyList<LabHost>? ScaleHosts = null,
    IReadOnlyList<LabHost>? SpecialHosts = null)
{
    /// <summary>Every plain host, the container-less ones of <c>lab/up --scale</c> after <see cref="Hosts"/>.</summary>
    public IReadOnlyList<LabHost> AllHosts => [.. Hosts, .. ScaleHosts ?? []];

    /// <summary>The hosts behind a 1:1 NAT: SSH and the other hosts reach them at their public address only.</summary>
    public IReadOnlyList<LabHost> NatHosts => [.. (SpecialHosts ?? []).Where(host => host.Nat)];

    /// <summary>The hosts with a firewall (<see cref="LabHost.Firewall"/> says which).</summary>
    public IReadOnlyList<LabHost> FirewalledHosts => [.. (SpecialHosts ?? []).Where(host => host.Firewall is not null)];

    /// <summary>Every host of the lab, plain and special.</summary>
    public IReadOnlyList<LabHost> EveryHost => [.. AllHosts, .. SpecialHosts ?? []];

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    public static LabDescription Parse(string json)
    {
        var description = JsonSerializer.Deserialize<LabDescription>(json, JsonOptions)
            ?? throw new FormatException("lab JSON is empty");
        if (description.Hosts is null || description.Hosts.Count == 0)
        {
            throw new FormatException("lab JSON describes no hosts");
        }
        return description;
    }
}

/// <summary>One sandbox LXC host: a network namespace with its own sshd and container store. <see cref="Address"/>
/// is where SSH reaches it; a host behind a 1:1 NAT (<see cref="Nat"/>) holds only <see cref="PrivateAddress"/>
/// itself, its NAT namespace <see cref="NatNamespace"/> holds <see cref="PublicAddress"/> (the two are equal for
/// other hosts). <see cref="Firewall"/> names the host's firewall (<c>docker-like</c>), null when it has none.</summary>
public sealed record LabHost(
    string Name,
    string Namespace,
    string Address,
    int Port,
    LabUsers Users,
    IReadOnlyList<string> Containers,
    string LxcPath,
    string SshdPidFile,
    string HostKeyPath,
    string HostKeyFingerprint,
    string PrivateAddress,
    string PublicAddress,
    bool Nat,
    string? NatNamespace,
    string? Firewall,
    LabCharon? Charon = null);

/// <summary>The host's own strongSwan charon (null when strongSwan is not installed on the machine): swanctl in an
/// SSH session on the host talks to it by default; <see cref="SwanctlDir"/> is the machine-side folder bound over
/// the host's /etc/swanctl.</summary>
public sealed record LabCharon(string PidFile, string ViciSocket, string Log, string SwanctlDir, int StartMilliseconds);

/// <summary>Login names: <see cref="Root"/> logs in as root, <see cref="Sudo"/> has passwordless sudo.</summary>
public sealed record LabUsers(string Root, string Sudo);

/// <summary>The namespace standing in for the internet; <see cref="WhoamiUrl"/> answers with the caller's source address.</summary>
public sealed record LabUpstream(
    string Namespace,
    string Address,
    string UnderlayAddress,
    string WhoamiUrl,
    string SeenLog);

/// <summary>The bridge in the root namespace joining all hosts; <see cref="Gateway"/> is every host's default route (upstream).</summary>
public sealed record LabUnderlay(string Bridge, string RootAddress, int PrefixLength, string Gateway, int Mtu);

/// <summary>A subnet reserved for tests' overlays (bridges behind a NAT router), inside the lab's address ranges.</summary>
public sealed record LabOverlay(string Subnet, string RouterAddress, string DhcpStart, string DhcpEnd);
