using System.Text;
using Superbridge.Core.Commands;
using Superbridge.Core.Observed;

namespace Superbridge.Ssh.Inventory;

/// <summary>
/// The one POSIX <c>sh</c> script an inventory sends to a host (read-only; dash and busybox sh run it). It prints
/// every section framed by fixed marker lines, each command's stderr and exit status included:
/// <code>
/// @@superbridge-inventory 1@@
/// @@superbridge-section NAME@@
/// ...stdout, verbatim (NUL bytes included)...
/// @@superbridge-stderr NAME@@
/// ...stderr, trailing newlines cut...
/// @@superbridge-end NAME exit=N@@
/// ... more sections ...
/// @@superbridge-done@@
/// </code>
/// The line break printed before <c>@@superbridge-stderr</c> and before <c>@@superbridge-end</c> belongs to the frame,
/// so output that does not end in a newline stays exact. <see cref="InventoryOutputSplitter"/> reads it back.
/// Sections: see <see cref="InventorySections"/>; per container, <c>lxc-config NAME</c> and <c>lxc-info NAME</c>.
/// </summary>
public static class InventoryScript
{
    public const string HeaderLine = "@@superbridge-inventory 1@@";
    public const string DoneLine = "@@superbridge-done@@";
    public const string SectionPrefix = "@@superbridge-section ";
    public const string StderrPrefix = "@@superbridge-stderr ";
    public const string EndPrefix = "@@superbridge-end ";
    public const string MarkerSuffix = "@@";

    /// <summary>The script for a host whose containers live in the default lxcpath (or the one /etc/lxc/lxc.conf sets).</summary>
    public static string Default { get; } = Build(lxcPath: null);

    /// <summary>The script text; <paramref name="lxcPath"/>, when given, is passed to every lxc-* command as <c>-P</c>.</summary>
    public static string Build(string? lxcPath)
    {
        if (lxcPath is not null && (lxcPath.Length == 0 || lxcPath.Contains('\n') || lxcPath.Contains('\0')))
            throw new ArgumentException("An lxcpath is a non-empty path without line breaks.", nameof(lxcPath));
        var pathArgument = lxcPath is null ? "" : "-P " + PosixShell.Quote(lxcPath) + " ";
        var pathValue = lxcPath is null ? "$(lxc-config lxc.lxcpath 2>/dev/null </dev/null)" : PosixShell.Quote(lxcPath);

        var script = new StringBuilder();
        script.Append($$"""
            # Superbridge inventory: reads only. Each section: a marker line, stdout, a stderr marker, stderr, an end marker with the exit status.
            exec 3>&1
            sb_section() {
              sb_name=$1
              shift
              printf '@@superbridge-section %s@@\n' "$sb_name"
              sb_err=$("$@" 2>&1 1>&3 3>&- </dev/null)
              sb_rc=$?
              printf '\n@@superbridge-stderr %s@@\n%s\n@@superbridge-end %s exit=%s@@\n' "$sb_name" "$sb_err" "$sb_name" "$sb_rc"
            }
            sb_features() {

            """);
        script.Append(KernelFeatureProbeParser.ProbeScript);
        script.Append("""
            }
            sb_dnsmasq() {

            """);
        script.Append(DnsmasqProcessParser.ProbeScript);
        script.Append($$"""
            }
            printf '{{HeaderLine}}\n'
            sb_section {{InventorySections.Hostname}} uname -n
            sb_section {{InventorySections.Kernel}} uname -r
            sb_section {{InventorySections.Iproute}} ip -V
            sb_section {{InventorySections.Features}} sb_features
            sb_section {{InventorySections.IpLink}} {{IpLinkParser.Command}}
            sb_section {{InventorySections.IpAddr}} {{IpAddrParser.Command}}
            sb_section {{InventorySections.BridgeLink}} {{BridgeLinkParser.Command}}
            sb_section {{InventorySections.BridgeFdb}} {{BridgeFdbParser.Command}}
            sb_section {{InventorySections.L2tpTunnel}} {{L2tpParser.TunnelCommand}}
            sb_section {{InventorySections.L2tpSession}} {{L2tpParser.SessionCommand}}
            sb_section {{InventorySections.IptablesNat}} {{IptablesNatParser.Command}}
            sb_section {{InventorySections.Dnsmasq}} sb_dnsmasq
            sb_section {{InventorySections.IpForward}} sysctl -n net.ipv4.ip_forward
            if command -v lxc-ls >/dev/null 2>&1; then
              sb_section {{InventorySections.LxcLs}} lxc-ls {{pathArgument}}-f -F NAME,STATE,IPV4,AUTOSTART
              sb_lxcpath={{pathValue}}
              sb_section {{InventorySections.LxcPath}} printf '%s\n' "$sb_lxcpath"
              lxc-ls {{pathArgument}}-1 </dev/null 2>/dev/null | while IFS= read -r sb_c; do
                [ -n "$sb_c" ] || continue
                sb_section "{{InventorySections.LxcConfigPrefix}}$sb_c" cat "$sb_lxcpath/$sb_c/config"
                sb_section "{{InventorySections.LxcInfoPrefix}}$sb_c" lxc-info {{pathArgument}}-n "$sb_c"
              done
            fi
            printf '{{DoneLine}}\n'

            """);
        return script.ToString();
    }
}

/// <summary>Names of the inventory script's sections (the per-container ones end with the container name).</summary>
public static class InventorySections
{
    public const string Hostname = "hostname";
    public const string Kernel = "kernel";
    public const string Iproute = "iproute";
    public const string Features = "features";
    public const string IpLink = "ip-link";
    public const string IpAddr = "ip-addr";
    public const string BridgeLink = "bridge-link";
    public const string BridgeFdb = "bridge-fdb";
    public const string L2tpTunnel = "l2tp-tunnel";
    public const string L2tpSession = "l2tp-session";
    public const string IptablesNat = "iptables-nat";
    public const string Dnsmasq = "dnsmasq";
    public const string IpForward = "ip-forward";
    public const string LxcLs = "lxc-ls";
    /// <summary>The lxcpath the host's lxc-* commands use (<c>lxc-config lxc.lxcpath</c>), so plans edit the right config files.</summary>
    public const string LxcPath = "lxc-path";
    /// <summary>"lxc-config NAME": the container's config file.</summary>
    public const string LxcConfigPrefix = "lxc-config ";
    /// <summary>"lxc-info NAME": <c>lxc-info -n NAME</c>.</summary>
    public const string LxcInfoPrefix = "lxc-info ";

    /// <summary>The sections every run prints, in order (the LXC ones only where lxc-ls is installed).</summary>
    public static IReadOnlyList<string> Always { get; } =
        [Hostname, Kernel, Iproute, Features, IpLink, IpAddr, BridgeLink, BridgeFdb, L2tpTunnel, L2tpSession, IptablesNat, Dnsmasq, IpForward];

    /// <summary>The command a section runs, for error messages.</summary>
    public static string CommandOf(string section) => section switch
    {
        Hostname => "uname -n",
        Kernel => "uname -r",
        Iproute => "ip -V",
        Features => "kernel feature probe",
        IpLink => IpLinkParser.Command,
        IpAddr => IpAddrParser.Command,
        BridgeLink => BridgeLinkParser.Command,
        BridgeFdb => BridgeFdbParser.Command,
        L2tpTunnel => L2tpParser.TunnelCommand,
        L2tpSession => L2tpParser.SessionCommand,
        IptablesNat => IptablesNatParser.Command,
        Dnsmasq => "dnsmasq /proc probe",
        IpForward => "sysctl -n net.ipv4.ip_forward",
        LxcLs => LxcLsParser.Command,
        LxcPath => "lxc-config lxc.lxcpath",
        _ when section.StartsWith(LxcConfigPrefix, StringComparison.Ordinal) => $"cat LXCPATH/{section[LxcConfigPrefix.Length..]}/config",
        _ when section.StartsWith(LxcInfoPrefix, StringComparison.Ordinal) => $"lxc-info -n {section[LxcInfoPrefix.Length..]}",
        _ => section,
    };
}
