using System.Security.Cryptography;
using System.Text;
using Superbridge.Core.Commands;
using Superbridge.Core.Model;

namespace Superbridge.Core.Planning.Steps;

/// <summary>
/// IPsec for one host's side of one pair of underlay addresses (a point-to-point link, or two VXLAN peers): its key
/// (mode 0600, loaded with <c>swanctl --load-creds</c>), then its connection (loaded with <c>--load-conns</c>). Both
/// come before the tunnel itself, so the trap policies are in place before the first packet.
/// </summary>
internal static class IpsecSteps
{
    /// <summary>
    /// The pair's name on both hosts (connection, child, key): the segment and a digest of the two host ids, so it
    /// stays the same whichever end plans it and however the member list is reordered. Joined by '-': strongSwan's
    /// settings syntax takes a '.' in a section name for a path, and then refuses every file it includes.
    /// </summary>
    public static string Name(string segment, HostId a, HostId b)
    {
        var (first, second) = string.CompareOrdinal(a.Value, b.Value) <= 0 ? (a.Value, b.Value) : (b.Value, a.Value);
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(first + "\n" + second));
        return $"{segment}-{Convert.ToHexStringLower(digest)[..8]}";
    }

    public static IEnumerable<StepDraft> For(string segment, string name, IpsecEnds ends, IReadOnlyList<IpsecSelector> children)
    {
        var peer = ends.Remote;
        var secretsPath = SwanctlCommands.SecretsPath(name);
        var header = BootCommands.Header("IPsec key", segment);
        yield return new StepDraft(
            new PlanStep($"ipsec-key:{name}", $"Write the IPsec key shared with {peer} ({secretsPath}, mode 0600)",
                SwanctlCommands.WriteSecrets(secretsPath, header, name, ends.Identity, peer), BootCommands.Remove(secretsPath, SwanctlCommands.LoadCredentials),
                SwanctlCommands.SecretsPresent(secretsPath)) { Secret = name },
            secretsPath,
            o => o.Host.Boot.SecretFiles.Contains(secretsPath) ? Observation.Done : Observation.Missing($"{secretsPath} is missing"));

        var connectionPath = SwanctlCommands.ConnectionPath(name);
        var connection = SwanctlCommands.Connection(name, ends, children);
        yield return new StepDraft(
            new PlanStep($"ipsec:{name}", $"Protect the tunnel packets to and from {peer} with IPsec (swanctl connection {name})",
                BootCommands.Write(connectionPath, BootCommands.Header("IPsec connection", segment), connection, SwanctlCommands.LoadConnection(name)),
                SwanctlCommands.RemoveConnection(name), BootCommands.Holds(connectionPath, connection)),
            connectionPath,
            o => BootSteps.ObserveFile(o, connectionPath, connection));
    }

    /// <summary>
    /// A rotation on one end: the key file written again with the staged key (no check: the file exists, that is the
    /// point), its undo writing the old key back; then, when <paramref name="reauthenticate"/>, the IKE SA made again.
    /// </summary>
    /// <param name="identity">This end's IKE identity (its peer address): the key file names identities, not bound addresses.</param>
    public static IEnumerable<PlanStep> Rotation(string segment, string name, string identity, string peer, bool reauthenticate)
    {
        var secretsPath = SwanctlCommands.SecretsPath(name);
        var header = BootCommands.Header("IPsec key", segment);
        var staged = SecretPlaceholders.Staged(name);
        yield return new PlanStep($"ipsec-key:{name}", $"Write a new IPsec key shared with {peer} ({secretsPath}, mode 0600; undo writes the old one back)",
            SwanctlCommands.WriteSecrets(secretsPath, header, name, identity, peer, staged),
            SwanctlCommands.WriteSecrets(secretsPath, header, name, identity, peer), null) { Secret = staged, UndoSecret = name };
        if (reauthenticate)
            yield return new PlanStep($"ipsec-reauth:{name}", $"Re-authenticate the IKE SA with {peer} with the new key (swanctl connection {name})",
                SwanctlCommands.Reauthenticate(name), null, null);
    }

    /// <summary>The child SAs of a pair: exactly the tunnel's protocol and ports between the two addresses.</summary>
    public static IReadOnlyList<IpsecSelector> Children(Transport transport, string name, int? localPort = null, int? remotePort = null) => transport switch
    {
        Transport.Gretap => [new(name, "gre", null, null)],
        Transport.L2tpv3Ip => [new(name, "115", null, null)], // IANA protocol 115: L2TP
        Transport.L2tpv3Udp => [new(name, "udp", localPort, remotePort)],
        // VXLAN's source port varies per flow: one child for what is sent to the peer's 4789, one for what it sends to ours.
        _ => [new(name + "-out", "udp", null, Commands.LinuxCommands.VxlanPort), new(name + "-in", "udp", Commands.LinuxCommands.VxlanPort, null)],
    };
}
