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
/// It starts as few processes as it can (every host runs it at once, so each one costs on a busy host): hostname,
/// kernel release and ip_forward are /proc files read with the <c>read</c> builtin, container configs are read the
/// same way (containers are the <c>LXCPATH/*/config</c> files, no <c>lxc-ls -1</c>), the feature probe runs in the
/// script's own shell, and <c>ip l2tp</c> runs only where the kernel can do L2TP (l2tp_core loaded, or the probe
/// found l2tpv3 or l2tp_ip): elsewhere no tunnel can exist and both L2TP sections are empty with exit 0. The ipsec
/// section probes ESP with the feature probe's <c>sb_feature</c>, so it runs after the features section. Sections
/// that run no program (<c>sb_inline</c>) drop their stderr: a failure there shows only as its exit status.
/// </summary>
public static class InventoryScript
{
    public const string HeaderLine = "@@superbridge-inventory 1@@";
    public const string DoneLine = "@@superbridge-done@@";
    public const string SectionPrefix = "@@superbridge-section ";
    public const string StderrPrefix = "@@superbridge-stderr ";
    public const string EndPrefix = "@@superbridge-end ";
    public const string MarkerSuffix = "@@";

    /// <summary>One-line /proc files the script reads with the <c>read</c> builtin instead of running uname or sysctl.</summary>
    public const string HostnameFile = "/proc/sys/kernel/hostname";
    public const string KernelReleaseFile = "/proc/sys/kernel/osrelease";
    public const string IpForwardFile = "/proc/sys/net/ipv4/ip_forward";

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
            # Few processes on purpose (it runs on every host at once): /proc files are read with the read builtin, sections
            # that run no program (sb_inline) run in this shell without a subshell, their stderr dropped.
            exec 3>&1
            sb_section() {
              sb_name=$1
              shift
              printf '@@superbridge-section %s@@\n' "$sb_name"
              sb_err=$("$@" 2>&1 1>&3 3>&- </dev/null)
              sb_rc=$?
              printf '\n@@superbridge-stderr %s@@\n%s\n@@superbridge-end %s exit=%s@@\n' "$sb_name" "$sb_err" "$sb_name" "$sb_rc"
            }
            sb_inline() {
              sb_name=$1
              shift
              printf '@@superbridge-section %s@@\n' "$sb_name"
              "$@" 2>/dev/null </dev/null
              sb_rc=$?
              printf '\n@@superbridge-stderr %s@@\n\n@@superbridge-end %s exit=%s@@\n' "$sb_name" "$sb_name" "$sb_rc"
            }
            sb_line() {
              sb_v=
              IFS= read -r sb_v <"$1" || [ -n "$sb_v" ] && printf '%s\n' "$sb_v"
            }
            sb_cat() {
              while IFS= read -r sb_v || [ -n "$sb_v" ]; do printf '%s\n' "$sb_v"; done <"$1"
            }
            sb_boot() {
              sb_v=
              { IFS= read -r sb_v </proc/1/comm; } 2>/dev/null
              printf 'pid1=%s\n' "$sb_v"
              if [ -d /run/systemd/system ]; then echo systemd=yes; else echo systemd=no; fi
              if [ /proc/self/ns/net -ef /proc/1/ns/net ]; then echo netns=same; else echo netns=other; fi
              for sb_f in {{BootCommands.WantsDirectory}}/superbridge-*.service; do
                [ -L "$sb_f" ] && printf 'enabled=%s\n' "${sb_f##*/}"
              done
              return 0
            }
            sb_ipsec() {
              if command -v swanctl >/dev/null 2>&1; then
                echo swanctl=yes
                if sb_v=$(swanctl --version --daemon 2>/dev/null); then echo charon=running; else echo charon=stopped; sb_v=$(swanctl --help 2>/dev/null); fi
                printf 'version=%s\n' "${sb_v%%
            *}"
              else
                echo swanctl=no
                echo charon=-
                echo version=
              fi
              if [ -e /proc/sys/net/core/xfrm_acq_expires ]; then echo xfrm=yes; else echo xfrm=no; fi

            """);
        script.Append(EspKernelProbe.Script);
        script.Append("""
            }
            sb_features() {

            """);
        script.Append(KernelFeatureProbeParser.ProbeScript);
        script.Append("""
            }
            # No IPv6 in the kernel is an empty table, not a failure.
            sb_routes() {
              ip -j -4 route show table main || return
              ip -j -6 route show table main 2>/dev/null || echo '[]'
            }
            sb_legacy_filter() {
              [ -r /proc/net/ip_tables_names ] || return 0
              while IFS= read -r sb_v; do
                if [ "$sb_v" = filter ] && command -v iptables-legacy >/dev/null 2>&1; then iptables-legacy -t filter -S; return; fi
              done </proc/net/ip_tables_names
              return 0
            }
            sb_dnsmasq() {

            """);
        script.Append(DnsmasqProcessParser.ProbeScript);
        script.Append($$"""
            }
            printf '{{HeaderLine}}\n'
            sb_inline {{InventorySections.Hostname}} sb_line {{HostnameFile}}
            sb_inline {{InventorySections.Kernel}} sb_line {{KernelReleaseFile}}
            sb_section {{InventorySections.Iproute}} ip -V
            sb_inline {{InventorySections.Features}} sb_features
            sb_section {{InventorySections.IpAddr}} {{IpAddrParser.DetailedCommand}}
            sb_section {{InventorySections.IpRoute}} sb_routes
            sb_section {{InventorySections.BridgeFdb}} {{BridgeFdbParser.Command}}
            if [ -d /sys/module/l2tp_core ] || case "$sb_yes" in *" l2tpv3 "* | *" l2tp_ip "*) true ;; *) false ;; esac; then
              sb_section {{InventorySections.L2tpTunnel}} {{L2tpParser.TunnelCommand}}
              sb_section {{InventorySections.L2tpSession}} {{L2tpParser.SessionCommand}}
            else
              sb_inline {{InventorySections.L2tpTunnel}} :
              sb_inline {{InventorySections.L2tpSession}} :
            fi
            sb_section {{InventorySections.IptablesNat}} {{IptablesRulesParser.NatCommand}}
            sb_section {{InventorySections.IptablesFilter}} {{IptablesRulesParser.FilterCommand}}
            sb_section {{InventorySections.IptablesVersion}} {{IptablesVersionParser.Command}}
            sb_section {{InventorySections.IptablesLegacyFilter}} sb_legacy_filter
            if command -v nft >/dev/null 2>&1; then
              sb_section {{InventorySections.NftRuleset}} {{NftRulesetParser.Command}}
            else
              sb_inline {{InventorySections.NftRuleset}} :
            fi
            sb_section {{InventorySections.Dnsmasq}} sb_dnsmasq
            sb_inline {{InventorySections.IpForward}} sb_line {{IpForwardFile}}
            sb_inline {{InventorySections.Boot}} sb_boot
            sb_inline {{InventorySections.Ipsec}} sb_ipsec
            if command -v swanctl >/dev/null 2>&1; then
              sb_section {{InventorySections.IpsecSas}} {{SwanctlSasParser.Command}}
            else
              sb_inline {{InventorySections.IpsecSas}} :
            fi
            for sb_f in {{BootCommands.UnitDirectory}}/superbridge-*.service {{BootCommands.ProgramDirectory}}/*.sh {{BootCommands.SysctlDirectory}}/90-superbridge-*.conf {{SwanctlCommands.ConfDirectory}}/superbridge-*.conf; do
              [ -f "$sb_f" ] || continue
              case $sb_f in
              *.secrets.conf) sb_inline "{{InventorySections.SecretFilePrefix}}$sb_f" : ;;
              *) sb_inline "{{InventorySections.BootFilePrefix}}$sb_f" sb_cat "$sb_f" ;;
              esac
            done
            if command -v lxc-ls >/dev/null 2>&1; then
              sb_section {{InventorySections.LxcLs}} lxc-ls {{pathArgument}}-f -F NAME,STATE,IPV4,AUTOSTART
              sb_lxcpath={{pathValue}}
              sb_inline {{InventorySections.LxcPath}} printf '%s\n' "$sb_lxcpath"
              for sb_f in "$sb_lxcpath"/*/config; do
                [ -f "$sb_f" ] || continue
                sb_c=${sb_f%/config}
                sb_c=${sb_c##*/}
                sb_inline "{{InventorySections.LxcConfigPrefix}}$sb_c" sb_cat "$sb_f"
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
    /// <summary>Separate <c>ip -j -d link show</c> output: only in outputs of older scripts (links now come from <see cref="IpAddr"/>).</summary>
    public const string IpLink = "ip-link";
    /// <summary><c>ip -j -d addr show</c>: addresses and every link's details.</summary>
    public const string IpAddr = "ip-addr";
    /// <summary>The main routing table: IPv4 on one line, IPv6 on the next (see <see cref="IpRouteParser"/>).</summary>
    public const string IpRoute = "ip-route";
    public const string BridgeFdb = "bridge-fdb";
    public const string L2tpTunnel = "l2tp-tunnel";
    public const string L2tpSession = "l2tp-session";
    public const string IptablesNat = "iptables-nat";
    /// <summary>The filter table: the plaintext guard of encrypted segments (EspGuardCommands).</summary>
    public const string IptablesFilter = "iptables-filter";
    /// <summary><c>iptables -V</c>: which backend (nf_tables or legacy) the <c>iptables</c> command writes to.</summary>
    public const string IptablesVersion = "iptables-version";
    /// <summary>
    /// <c>iptables-legacy -t filter -S</c> where a legacy filter table exists (/proc/net/ip_tables_names lists it, read
    /// with the read builtin, so no legacy table is made by looking); elsewhere empty.
    /// </summary>
    public const string IptablesLegacyFilter = "iptables-legacy-filter";
    /// <summary><c>nft -j list ruleset</c> where nft is installed; elsewhere empty.</summary>
    public const string NftRuleset = "nft-ruleset";
    public const string Dnsmasq = "dnsmasq";
    public const string IpForward = "ip-forward";
    /// <summary>PID 1, whether systemd runs it in this network namespace, and the enabled Superbridge units (builtins only).</summary>
    public const string Boot = "boot";
    /// <summary>"boot-file PATH": one of Superbridge's boot files (unit, programs, sysctl.d drop-in), read with the read builtin.</summary>
    public const string BootFilePrefix = "boot-file ";
    /// <summary>"secret-file PATH": a Superbridge key file that exists; empty, its content is never read.</summary>
    public const string SecretFilePrefix = "secret-file ";
    /// <summary>swanctl installed, charon answering, strongSwan's version, the kernel's xfrm and ESP (see <see cref="IpsecFactsParser"/>).</summary>
    public const string Ipsec = "ipsec";
    /// <summary>
    /// <c>swanctl --list-sas</c> where swanctl is installed (elsewhere empty, exit 0); where charon is not running it
    /// fails saying so, which is no SAs rather than a problem.
    /// </summary>
    public const string IpsecSas = "ipsec-sas";
    public const string LxcLs = "lxc-ls";
    /// <summary>The lxcpath the host's lxc-* commands use (<c>lxc-config lxc.lxcpath</c>), so plans edit the right config files.</summary>
    public const string LxcPath = "lxc-path";
    /// <summary>"lxc-config NAME": the container's config file (LXCPATH/NAME/config, read with the read builtin).</summary>
    public const string LxcConfigPrefix = "lxc-config ";
    /// <summary>"lxc-info NAME": <c>lxc-info -n NAME</c>.</summary>
    public const string LxcInfoPrefix = "lxc-info ";

    /// <summary>The sections every run prints, in order (the LXC ones only where lxc-ls is installed).</summary>
    public static IReadOnlyList<string> Always { get; } =
        [Hostname, Kernel, Iproute, Features, IpAddr, IpRoute, BridgeFdb, L2tpTunnel, L2tpSession, IptablesNat, IptablesFilter, IptablesVersion, IptablesLegacyFilter, NftRuleset, Dnsmasq, IpForward, Boot, Ipsec, IpsecSas];

    /// <summary>The command a section runs, for error messages.</summary>
    public static string CommandOf(string section) => section switch
    {
        Hostname => "read " + InventoryScript.HostnameFile,
        Kernel => "read " + InventoryScript.KernelReleaseFile,
        Iproute => "ip -V",
        Features => "kernel feature probe",
        IpLink => IpLinkParser.Command,
        IpAddr => IpAddrParser.DetailedCommand,
        IpRoute => IpRouteParser.Command,
        BridgeFdb => BridgeFdbParser.Command,
        L2tpTunnel => L2tpParser.TunnelCommand,
        L2tpSession => L2tpParser.SessionCommand,
        IptablesNat => IptablesRulesParser.NatCommand,
        IptablesFilter => IptablesRulesParser.FilterCommand,
        IptablesVersion => IptablesVersionParser.Command,
        IptablesLegacyFilter => "iptables-legacy -t filter -S",
        NftRuleset => NftRulesetParser.Command,
        Dnsmasq => "dnsmasq /proc probe",
        IpForward => "read " + InventoryScript.IpForwardFile,
        LxcLs => LxcLsParser.Command,
        LxcPath => "lxc-config lxc.lxcpath",
        Boot => BootStateParser.Command,
        Ipsec => IpsecFactsParser.Command,
        IpsecSas => SwanctlSasParser.Command,
        _ when section.StartsWith(SecretFilePrefix, StringComparison.Ordinal) => $"test -f {section[SecretFilePrefix.Length..]}",
        _ when section.StartsWith(BootFilePrefix, StringComparison.Ordinal) => $"read {section[BootFilePrefix.Length..]}",
        _ when section.StartsWith(LxcConfigPrefix, StringComparison.Ordinal) => $"read LXCPATH/{section[LxcConfigPrefix.Length..]}/config",
        _ when section.StartsWith(LxcInfoPrefix, StringComparison.Ordinal) => $"lxc-info -n {section[LxcInfoPrefix.Length..]}",
        _ => section,
    };
}
