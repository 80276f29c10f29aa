using System.Collections.Immutable;

namespace Superbridge.Core.Observed;

/// <summary>
/// The kernel feature probe: <see cref="ProbeScript"/> is the POSIX sh text the inventory runs, <see cref="Parse"/>
/// reads what it prints. Input format, one line per feature, all six required, unknown feature names ignored:
/// <code>
/// feature gretap no config-unset
/// feature l2tpv3 no config-unset
/// feature l2tp_ip no config-unset
/// feature vxlan yes loaded
/// feature bridge yes loaded
/// feature lxc yes command
/// </code>
/// The answer is yes, no or unknown; the last word says how it was decided, in the order the script tries:
/// <c>loaded</c> (/sys/module/M exists), <c>module</c> (modinfo finds it, or a M.ko* file under /lib/modules),
/// <c>builtin</c> (modules.builtin lists it), then the kernel config (/proc/config.gz or /boot/config-RELEASE):
/// <c>config-builtin</c> (=y), <c>config-module-not-installed</c> (=m but no module file), <c>config-unset</c>;
/// <c>no-kernel-info</c> when none of those exist (answer unknown, treated as unavailable).
/// Modules: gretap ip_gre, l2tpv3 l2tp_eth, l2tp_ip l2tp_ip, vxlan vxlan, bridge bridge; lxc is lxc-start on PATH.
/// Cheap on purpose (the inventory runs it on every host at once): the release comes from
/// /proc/sys/kernel/osrelease, modinfo runs only where /lib/modules/RELEASE exists, and the kernel config is read
/// once (one <c>gzip -dc | grep</c>) for every feature that needs it. It leaves <c>sb_yes</c> listing the features
/// answered yes (" l2tpv3 vxlan ..."), for a caller that runs it as a function in its own shell, and defines
/// <c>sb_feature FEATURE MODULE CONFIG</c> there: <see cref="EspKernelProbe"/> probes ESP and its algorithms with it
/// (the config pattern read once holds their options too).
/// </summary>
public static class KernelFeatureProbeParser
{
    public const string ProbeScript = """
        read -r r 2>/dev/null </proc/sys/kernel/osrelease || r=$(uname -r)
        k=/lib/modules/$r
        cfg=
        sb_config() {
          [ -z "$cfg" ] || return 0
          p='^CONFIG_(NET_IPGRE|L2TP_ETH|L2TP_IP|VXLAN|BRIDGE|INET_ESP|CRYPTO_(AES|GCM|CBC|AUTHENC|HMAC|SHA256))='
          if [ -r /proc/config.gz ] && command -v gzip >/dev/null 2>&1; then cfg="read
        $(gzip -dc /proc/config.gz | grep -E "$p")"
          elif [ -r "/boot/config-$r" ]; then cfg="read
        $(grep -E "$p" "/boot/config-$r")"
          else cfg=none; fi
        }
        sb_feature() {
          f=$1; m=$2; c=$3
          if [ -d "/sys/module/$m" ]; then a="yes loaded"
          elif [ -d "$k" ] && command -v modinfo >/dev/null 2>&1 && modinfo -n "$m" >/dev/null 2>&1; then a="yes module"
          elif [ -d "$k" ] && [ -n "$(find "$k" -name "$m.ko*" 2>/dev/null | head -n 1)" ]; then a="yes module"
          elif [ -r "$k/modules.builtin" ] && grep -q "/$m\.ko\$" "$k/modules.builtin"; then a="yes builtin"
          else
            sb_config
            case "$cfg" in
              none) a="unknown no-kernel-info" ;;
              *"
        $c=y"*) a="yes config-builtin" ;;
              *"
        $c=m"*) a="no config-module-not-installed" ;;
              *) a="no config-unset" ;;
            esac
          fi
          echo "feature $f $a"
          case "$a" in yes*) sb_yes="$sb_yes $f " ;; esac
        }
        sb_feature gretap ip_gre CONFIG_NET_IPGRE
        sb_feature l2tpv3 l2tp_eth CONFIG_L2TP_ETH
        sb_feature l2tp_ip l2tp_ip CONFIG_L2TP_IP
        sb_feature vxlan vxlan CONFIG_VXLAN
        sb_feature bridge bridge CONFIG_BRIDGE
        if command -v lxc-start >/dev/null 2>&1; then echo "feature lxc yes command"; else echo "feature lxc no command"; fi

        """;

    private static readonly ParserContext Context = new(nameof(KernelFeatureProbeParser), "kernel feature probe");
    private static readonly string[] Required = ["gretap", "l2tpv3", "l2tp_ip", "vxlan", "bridge", "lxc"];

    public static KernelFeatureProbe Parse(string output)
    {
        if (string.IsNullOrWhiteSpace(output))
            throw Context.Error("the output is empty (expected one \"feature NAME yes|no|unknown HOW\" line per feature)");
        var lines = ImmutableArray.CreateBuilder<KernelFeatureLine>();
        var text = ParserContext.Lines(output);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i].Trim().Length == 0) continue;
            lines.Add(ParseLine(Context, i + 1, text[i]));
        }
        var byName = new Dictionary<string, KernelFeatureLine>(StringComparer.Ordinal);
        foreach (var line in lines) byName[line.Feature] = line;
        var missing = Required.Where(r => !byName.ContainsKey(r)).ToArray();
        if (missing.Length > 0)
            throw Context.Error($"no line for {string.Join(", ", missing)} (output cut short?)");
        bool Has(string feature) => byName[feature].Available;
        return new KernelFeatureProbe(
            new KernelFeatures(Has("gretap"), Has("l2tpv3"), Has("l2tp_ip"), Has("vxlan"), Has("bridge"), Has("lxc")),
            lines.ToImmutable());
    }

    /// <summary>One "feature NAME yes|no|unknown HOW" line, as <c>sb_feature</c> prints it; errors name <paramref name="number"/>.</summary>
    internal static KernelFeatureLine ParseLine(ParserContext context, int number, string line)
    {
        var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length != 4 || words[0] != "feature" || words[2] is not ("yes" or "no" or "unknown"))
            throw context.Error($"line {number}: expected \"feature NAME yes|no|unknown HOW\", found \"{line.Trim()}\"");
        return new KernelFeatureLine(words[1], words[2], words[3]);
    }
}
