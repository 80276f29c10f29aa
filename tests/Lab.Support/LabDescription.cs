using System.Text.Json;

namespace Superbridge.Lab;

/// <summary>
/// The lab as described by <c>lab/up --json</c> (also stored in /run/sblab/lab.json). <see cref="Hosts"/> are the
/// hosts with containers that most tests use (each of them, often); <see cref="ScaleHosts"/> are the many
/// container-less hosts for tests of a large segment.
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
    IReadOnlyList<LabHost>? ScaleHosts = null)
{
    /// <summary>Every host, the container-less ones of <c>lab/up --scale</c> after <see cref="Hosts"/>.</summary>
    public IReadOnlyList<LabHost> AllHosts => [.. Hosts, .. ScaleHosts ?? []];

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

/// <summary>One sandbox LXC host: a network namespace with its own sshd and container store.</summary>
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
