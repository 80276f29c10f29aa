using System.Collections.Immutable;
using System.Globalization;

namespace Superbridge.Core.Observed;

/// <summary>
/// Reads running dnsmasq processes from the output of <see cref="ProbeScript"/>: for every process whose
/// <c>comm</c> is "dnsmasq", its pid, a NUL, then <c>/proc/PID/cmdline</c> verbatim (each argument
/// NUL-terminated), then a newline. The argv is exact (no quoting guesswork as with <c>ps</c>).
/// Only processes in the script's own network namespace are listed (a container's or another namespace's
/// dnsmasq shares /proc with the host but serves none of its interfaces); <c>comm</c> is read with the
/// <c>read</c> builtin, not a <c>cat</c> per process, and the namespaces are compared with <c>test -ef</c> (same
/// nsfs inode), not <c>readlink</c>, so the probe starts one <c>cat</c> per dnsmasq and nothing else.
/// A zombie has an empty cmdline and is skipped. Limit: an argument that itself starts with a newline
/// would be read as the end of the record.
/// </summary>
public static class DnsmasqProcessParser
{
    /// <summary>POSIX sh (dash, busybox) script that prints the records this parser reads.</summary>
    public const string ProbeScript = """
        for d in /proc/[0-9]*; do
          read -r c 2>/dev/null <"$d/comm" || continue
          [ "$c" = dnsmasq ] || continue
          [ "$d/ns/net" -ef /proc/self/ns/net ] || [ ! -e /proc/self/ns/net ] || continue
          printf '%s\000' "${d#/proc/}"
          cat "$d/cmdline" 2>/dev/null
          printf '\n'
        done

        """;

    private static readonly ParserContext Context = new(nameof(DnsmasqProcessParser), "dnsmasq /proc/PID/cmdline probe");

    public static ImmutableArray<ObservedDnsmasq> Parse(string output)
    {
        var processes = ImmutableArray.CreateBuilder<ObservedDnsmasq>();
        var text = output ?? "";
        var position = 0;
        var record = 0;
        while (position < text.Length)
        {
            record++;
            var nul = text.IndexOf('\0', position);
            var newline = text.IndexOf('\n', position);
            if (nul < 0 || (newline >= 0 && newline < nul))
                throw Context.Error($"record {record}: expected \"PID\\0\" at the start, found \"{Printable(text, position)}\"");
            var pidText = text[position..nul];
            if (!int.TryParse(pidText, NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
                throw Context.Error($"record {record}: pid \"{Printable(pidText, 0)}\" is not a number");
            position = nul + 1;
            var argv = ImmutableArray.CreateBuilder<string>();
            while (true)
            {
                if (position >= text.Length)
                    throw Context.Error($"record {record} (pid {pid}): truncated, no newline after the arguments");
                if (text[position] == '\n') { position++; break; }
                var end = text.IndexOf('\0', position);
                if (end < 0)
                    throw Context.Error($"record {record} (pid {pid}): truncated inside argument {argv.Count}");
                argv.Add(text[position..end]);
                position = end + 1;
            }
            if (argv.Count == 0) continue;
            processes.Add(FromArgv(pid, argv.ToImmutable()));
        }
        return processes.ToImmutable();
    }

    /// <summary>
    /// Interface and pid file from a dnsmasq argv: <c>--interface=X</c>, <c>--interface X</c>, <c>-i X</c>,
    /// <c>-iX</c> (the first one; a comma list yields its first name), and the same forms of <c>--pid-file</c>/<c>-x</c>.
    /// Values set only in a <c>--conf-file</c> are not visible here and stay null.
    /// </summary>
    public static ObservedDnsmasq FromArgv(int pid, ImmutableArray<string> argv)
    {
        string? iface = null, pidFile = null;
        for (var i = 1; i < argv.Length; i++)
        {
            var value = Option(argv, ref i, "--interface", 'i');
            if (value is not null) { iface ??= value.Split(',')[0]; continue; }
            value = Option(argv, ref i, "--pid-file", 'x');
            if (value is not null) pidFile ??= value;
        }
        return new ObservedDnsmasq(pid, iface, pidFile, argv);
    }

    private static string? Option(ImmutableArray<string> argv, ref int i, string longName, char shortName)
    {
        var arg = argv[i];
        if (arg.StartsWith(longName + "=", StringComparison.Ordinal)) return arg[(longName.Length + 1)..];
        if (arg == longName || arg == "-" + shortName)
        {
            if (i + 1 >= argv.Length) return null;
            return argv[++i];
        }
        if (arg.Length > 2 && arg[0] == '-' && arg[1] == shortName) return arg[2..];
        return null;
    }

    private static string Printable(string text, int start)
    {
        var slice = text[start..Math.Min(text.Length, start + 40)];
        return slice.Replace("\0", "\\0").Replace("\n", "\\n");
    }
}
