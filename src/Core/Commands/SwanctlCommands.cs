using System.Globalization;
using System.Text;

namespace Superbridge.Core.Commands;

/// <summary>One child SA's traffic selectors: an IP protocol and, for UDP, each side's port (null: any).</summary>
public sealed record IpsecSelector(string Child, string Protocol, int? LocalPort, int? RemotePort);

/// <summary>
/// One end of a pair: the address it binds (<paramref name="Local"/>), the address its peer knows it by
/// (<paramref name="Identity"/>: its public address behind a 1:1 NAT, else the same) and the peer's address. Both ends
/// authenticate as their peer-known addresses, so a NATed end's IKE id matches what the other end expects; strongSwan
/// detects the NAT itself and moves ESP into UDP 4500.
/// </summary>
public sealed record IpsecEnds(string Local, string Identity, string Remote);

/// <summary>
/// strongSwan (IKEv2, swanctl) for one pair of underlay addresses: a connection file and a secrets file in
/// <c>/etc/swanctl/conf.d</c>, both Superbridge's, loaded with swanctl. ESP in transport mode; AES-GCM first and AES-CBC
/// with SHA-256 as the fallback for kernels without AES-GCM (the MTU fits either: MtuCalculator.EspProposals); trap policies, so
/// nothing of the tunnel leaves before its SA is up; rekeying left to strongSwan's defaults.
/// </summary>
public static class SwanctlCommands
{
    public const string ConfDirectory = "/etc/swanctl/conf.d";
    public const string IkeProposals = "aes256gcm16-prfsha384-ecp384,aes256-sha256-modp3072";

    public static string ConnectionPath(string connection) => $"{ConfDirectory}/superbridge-{connection}.conf";
    /// <summary>The key's file: a .conf (swanctl includes conf.d/*.conf) the inventory never reads, only sees.</summary>
    public static string SecretsPath(string connection) => $"{ConfDirectory}/superbridge-{connection}.secrets.conf";

    public const string LoadConnections = "swanctl --load-conns";
    public const string LoadCredentials = "swanctl --load-creds --noprompt";

    /// <summary>
    /// Loads the connections and fails unless charon now has this one: swanctl exits 0 even when it refused a file
    /// (a syntax error in any of conf.d drops them all). The name is [a-z0-9-] (IpsecSteps.Name), safe unquoted.
    /// </summary>
    public static string LoadConnection(string connection) => $"{LoadConnections} && swanctl --list-conns | grep -q '^{connection}: '";

    /// <summary>Ends the connection's SAs, then its file goes and the connections are loaded again (unloading it).</summary>
    public static Command RemoveConnection(string connection) => Command.Own("sh", "-c",
        "swanctl --terminate --ike \"$2\" --force --timeout 5 >/dev/null 2>&1; rm -f \"$1\" && " + LoadConnections,
        "sh", ConnectionPath(connection), connection);

    public static string Connection(string name, IpsecEnds ends, IReadOnlyList<IpsecSelector> children)
    {
        ArgumentNullException.ThrowIfNull(ends);
        var (local, remote) = (ends.Local, ends.Remote);
        var sb = new StringBuilder();
        sb.Append("connections {\n");
        sb.Append('\t').Append(name).Append(" {\n");
        sb.Append("\t\tversion = 2\n");
        sb.Append("\t\tlocal_addrs = ").Append(local).Append('\n');
        sb.Append("\t\tremote_addrs = ").Append(remote).Append('\n');
        sb.Append("\t\tproposals = ").Append(IkeProposals).Append('\n');
        sb.Append("\t\tdpd_delay = 10s\n");
        // A peer whose charon restarted comes back with a new IKE SA; replace the one it forgot at once rather than
        // keep sending on its dead CHILD SAs until DPD gives up (minutes).
        sb.Append("\t\tunique = replace\n");
        sb.Append("\t\tlocal {\n\t\t\tauth = psk\n\t\t\tid = ").Append(ends.Identity).Append("\n\t\t}\n");
        sb.Append("\t\tremote {\n\t\t\tauth = psk\n\t\t\tid = ").Append(remote).Append("\n\t\t}\n");
        sb.Append("\t\tchildren {\n");
        foreach (var child in children)
        {
            sb.Append("\t\t\t").Append(child.Child).Append(" {\n");
            sb.Append("\t\t\t\tmode = transport\n");
            sb.Append("\t\t\t\tlocal_ts = ").Append(Selector(local, child.Protocol, child.LocalPort)).Append('\n');
            sb.Append("\t\t\t\tremote_ts = ").Append(Selector(remote, child.Protocol, child.RemotePort)).Append('\n');
            sb.Append("\t\t\t\tesp_proposals = ").Append(string.Join(',', Mtu.MtuCalculator.EspProposals.Select(p => p.Name))).Append('\n');
            sb.Append("\t\t\t\tstart_action = trap\n");
            sb.Append("\t\t\t\tdpd_action = trap\n");
            sb.Append("\t\t\t\tclose_action = trap\n");
            sb.Append("\t\t\t}\n");
        }
        sb.Append("\t\t}\n\t}\n}\n");
        return sb.ToString();
    }

    /// <summary>
    /// Writes the pre-shared key of both ends' identities with mode 0600 and loads it. The key comes from the step's
    /// environment (<see cref="SecretPlaceholders.Variable"/>), never its argv.
    /// </summary>
    /// <param name="secret">The key to write; the pair's own (<paramref name="name"/>) unless a rotation writes its staged one.</param>
    public static Command WriteSecrets(string path, string header, string name, string local, string remote, string? secret = null) => Command.Own("sh", "-c",
        "umask 077 && mkdir -p \"${1%/*}\" && { printf '%s %s\\n' \"$2\" \"${" + BootCommands.OperationVariable + ":-unknown}\"; " +
        "printf 'secrets {\\n\\tike-%s {\\n\\t\\tid-local = %s\\n\\t\\tid-remote = %s\\n\\t\\tsecret = %s\\n\\t}\\n}\\n' \"$3\" \"$4\" \"$5\" \"$" +
        SecretPlaceholders.Variable(secret ?? name) + "\"; } >\"$1.sbnew\" && mv -f \"$1.sbnew\" \"$1\" && " + LoadCredentials,
        "sh", path, header, name, local, remote);

    /// <summary>
    /// Re-authenticates the pair's IKE SA, so it is made again with the key just loaded. An SA that is not up needs
    /// nothing: its trap policies initiate with the new key on the next packet.
    /// </summary>
    public static Command Reauthenticate(string connection) => Command.Own("sh", "-c",
        "swanctl --list-sas --ike \"$1\" --noblock 2>/dev/null | grep -q . || exit 0; exec swanctl --rekey --ike \"$1\" --reauth",
        "sh", connection);

    /// <summary>The key file exists and is not empty (its content is never read back: the key stays on the host).</summary>
    public static Command SecretsPresent(string path) => Command.Own("test", "-s", path);

    private static string Selector(string address, string protocol, int? port) =>
        port is { } p ? $"{address}[{protocol}/{p.ToString(CultureInfo.InvariantCulture)}]" : $"{address}[{protocol}]";
}
