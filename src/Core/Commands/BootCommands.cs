namespace Superbridge.Core.Commands;

/// <summary>
/// The files that bring a segment back at boot, and the commands that write, check and remove them.
/// Every file is Superbridge's: its prefix in the name, and a first line saying which segment and which
/// operation wrote it. The operation comes from <c>SB_OPERATION</c> in the program's environment (set by the
/// dashboard when it runs the program), so the program text, and so the preview, is the same for every operation.
/// Checks compare everything after that first line.
/// </summary>
public static class BootCommands
{
    public const string ProgramDirectory = "/etc/superbridge";
    public const string UnitDirectory = "/etc/systemd/system";
    public const string WantsDirectory = UnitDirectory + "/multi-user.target.wants";
    public const string SysctlDirectory = "/etc/sysctl.d";

    /// <summary>The environment variable naming the operation, for the header of the files a program writes.</summary>
    public const string OperationVariable = "SB_OPERATION";

    public static string UnitName(string segment) => $"superbridge-{segment}.service";
    public static string UnitPath(string segment) => $"{UnitDirectory}/{UnitName(segment)}";
    public static string ApplyProgramPath(string segment) => $"{ProgramDirectory}/{segment}.apply.sh";
    public static string UndoProgramPath(string segment) => $"{ProgramDirectory}/{segment}.undo.sh";
    public static string SysctlPath(string segment) => $"{SysctlDirectory}/90-superbridge-{segment}.conf";

    /// <summary>The first line of a boot file, without the operation the program appends at run time.</summary>
    public static string Header(string what, string segment) => $"# Superbridge {what} of segment {segment}; edits are drift. Written by operation";

    /// <summary>
    /// Writes header (plus the operation) and body to a temporary file beside <paramref name="path"/>, then renames it over
    /// the path, so a reader never sees half a file. Body, path and header are positional arguments, never script text.
    /// </summary>
    /// <param name="then">A fixed command line run after the rename (e.g. a reload), or null.</param>
    /// <param name="secret">Written with mode 0600 (umask 077), for a file holding a key.</param>
    public static Command Write(string path, string header, string body, string? then = null, bool secret = false) => Command.Own("sh", "-c",
        (secret ? "umask 077 && " : "") +
        "mkdir -p \"${2%/*}\" && { printf '%s %s\\n' \"$3\" \"${" + OperationVariable + ":-unknown}\"; printf '%s' \"$1\"; } >\"$2.sbnew\" && mv -f \"$2.sbnew\" \"$2\""
        + (then is null ? "" : " && " + then),
        "sh", body, path, header);

    /// <summary>Exit 0 when the file holds exactly <paramref name="body"/> after its first line.</summary>
    public static Command Holds(string path, string body) => Command.Own("sh", "-c",
        "c=$(sed 1d \"$2\" 2>/dev/null; echo x) && [ \"$c\" = \"${1}x\" ]", "sh", body, path);

    /// <summary>Everything after a Superbridge file's header line.</summary>
    public static string BodyOf(string content)
    {
        var newline = content.IndexOf('\n');
        return newline < 0 ? "" : content[(newline + 1)..];
    }

    /// <summary>Removes the file, and its directory when that is left empty and is Superbridge's own.</summary>
    public static Command Remove(string path, string? then = null) => Command.Own("sh", "-c",
        "rm -f \"$1\" && { [ \"${1%/*}\" != " + ProgramDirectory + " ] || rmdir \"${1%/*}\" 2>/dev/null || true; }"
        + (then is null ? "" : " && " + then),
        "sh", path);

    public const string SystemdReload = "systemctl daemon-reload";

    public static Command Enable(string segment) => Command.Own("systemctl", "enable", UnitName(segment));
    public static Command Disable(string segment) => Command.Own("systemctl", "disable", UnitName(segment));
    /// <summary>Enabled = linked into multi-user.target.wants (a builtin test, no systemctl process).</summary>
    public static Command IsEnabled(string segment) => Command.Own("test", "-L", $"{WantsDirectory}/{UnitName(segment)}");

    /// <summary>
    /// The unit: a oneshot (LXC's own lxc-net.service is the model) that replays the host's part of the segment
    /// before LXC autostarts containers, and undoes it when stopped.
    /// </summary>
    /// <param name="ipsec">The segment is encrypted: strongSwan (which loads the swanctl files) comes up first.</param>
    public static string Unit(string segment, string bridge, bool ipsec = false) => $"""
        [Unit]
        Description=Superbridge segment {segment} (bridge {bridge})
        Documentation=file://{ApplyProgramPath(segment)}
        Wants=network-online.target{(ipsec ? " strongswan.service" : "")}
        After=network-online.target{(ipsec ? " strongswan.service" : "")}
        Before=lxc.service

        [Service]
        Type=oneshot
        RemainAfterExit=yes
        ExecStart=/bin/sh {ApplyProgramPath(segment)}
        ExecStop=/bin/sh {UndoProgramPath(segment)}

        [Install]
        WantedBy=multi-user.target

        """;

    public const string ForwardingDropIn = "net.ipv4.ip_forward = 1\n";
}
