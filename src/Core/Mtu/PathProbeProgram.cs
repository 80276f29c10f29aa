using System.Collections.Immutable;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Superbridge.Core.Commands;

namespace Superbridge.Core.Mtu;

/// <summary>
/// The one <c>sh</c> program a host runs to measure its underlay paths to all its peers at once (each peer in the
/// background): don't-fragment pings (<c>ping -M do -c 1 -W 1 -s SIZE</c>, IPv6 <c>ping -6</c>), first at the interface
/// MTU (most paths carry it: one probe), then at the family's minimum (nothing crossed: the path drops every DF
/// probe), then a binary search between them. It prints one line per path, <c>path INDEX MTU</c> or
/// <c>path INDEX none</c>; <c>path-probe unsupported</c> when ping cannot set don't-fragment (only iputils' can).
/// </summary>
public static class PathProbeProgram
{
    /// <summary>IPv4 header 20 + ICMP 8: ping's <c>-s</c> is the payload.</summary>
    public const int Ipv4ProbeHeaders = 28;
    /// <summary>IPv6 header 40 + ICMPv6 8.</summary>
    public const int Ipv6ProbeHeaders = 48;
    /// <summary>Below this no segment fits anyway (576 is the smallest segment MTU); IPv6 links carry 1280 (RFC 8200 §5).</summary>
    public const int Ipv4Minimum = 576;
    public const int Ipv6Minimum = 1280;

    public const string UnsupportedLine = "path-probe unsupported";

    public static string Build(IReadOnlyList<UnderlayPath> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var script = new StringBuilder("""
            # Superbridge path MTU probe: don't-fragment pings only, changes nothing.
            case $(ping -V 2>&1) in *iputils*) ;; *) echo 'path-probe unsupported'; exit 0 ;; esac
            sb_ping() {
              ping $sb_family -n -q -M do -c 1 -W 1 -s $(( $1 - sb_headers )) "$sb_remote" >/dev/null 2>&1
            }
            sb_probe() {
              sb_index=$1 sb_family=$2 sb_headers=$3 sb_remote=$4 sb_low=$5 sb_high=$6
              if sb_ping "$sb_high"; then echo "path $sb_index $sb_high"; return 0; fi
              if ! sb_ping "$sb_low"; then echo "path $sb_index none"; return 0; fi
              # The low end crosses, the high end does not.
              while [ $(( sb_high - sb_low )) -gt 1 ]; do
                sb_mid=$(( (sb_low + sb_high) / 2 ))
                if sb_ping "$sb_mid"; then sb_low=$sb_mid; else sb_high=$sb_mid; fi
              done
              echo "path $sb_index $sb_low"
            }

            """);
        for (var i = 0; i < paths.Count; i++)
        {
            var path = paths[i];
            var v6 = path.Family == AddressFamily.InterNetworkV6;
            var minimum = v6 ? Ipv6Minimum : Ipv4Minimum;
            var command = new Command([
                "sb_probe", i.ToString(CultureInfo.InvariantCulture), v6 ? "-6" : "-4",
                (v6 ? Ipv6ProbeHeaders : Ipv4ProbeHeaders).ToString(CultureInfo.InvariantCulture), path.RemoteAddress,
                Math.Min(minimum, path.InterfaceMtu).ToString(CultureInfo.InvariantCulture), path.InterfaceMtu.ToString(CultureInfo.InvariantCulture)]);
            script.Append(command.ToShellLine()).Append(" &\n");
        }
        script.Append("wait\n");
        return script.ToString();
    }

    /// <summary>What the program found for each path, in the order given to <see cref="Build"/>.</summary>
    public static ImmutableArray<(int? Mtu, string? Failure)> Parse(string output, int count)
    {
        ArgumentNullException.ThrowIfNull(output);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Contains(UnsupportedLine))
            return [.. Enumerable.Repeat<(int?, string?)>((null, "ping on this host cannot send don't-fragment probes (install iputils-ping)"), count)];
        var found = new (int? Mtu, string? Failure)[count];
        Array.Fill(found, (null, "the probe program gave no answer for this path"));
        foreach (var line in lines)
        {
            var words = line.Split(' ');
            if (words.Length != 3 || words[0] != "path" || !int.TryParse(words[1], NumberStyles.None, CultureInfo.InvariantCulture, out var i) || i >= count) continue;
            found[i] = words[2] == "none" ? (null, "every don't-fragment probe was dropped")
                : int.TryParse(words[2], NumberStyles.None, CultureInfo.InvariantCulture, out var mtu) ? (mtu, null)
                : (null, $"the probe program answered '{words[2]}'");
        }
        return [.. found];
    }
}
