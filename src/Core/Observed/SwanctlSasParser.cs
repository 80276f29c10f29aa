using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Superbridge.Core.Observed;

/// <summary>
/// Reads <c>swanctl --list-sas</c> (strongSwan's src/swanctl/commands/list_sas.c): an IKE SA header at column 0, its
/// lines indented by two, each CHILD SA's header by two and its lines by four. Every line must be one list_sas.c
/// prints; anything else is an <see cref="ObservedParseException"/> naming the line. Values swanctl leaves out
/// (no rekeying configured, no packet yet) are null; so are those it prints as "(null)" for a CHILD SA not in the kernel.
/// </summary>
public static partial class SwanctlSasParser
{
    public const string Command = "swanctl --list-sas --noblock";

    /// <summary>
    /// True when swanctl found no charon behind its socket (no socket, or nobody listening): no SAs, and no error
    /// either. Other failures to connect (permission denied) stay problems.
    /// </summary>
    public static bool IsCharonNotRunning(string stderr) =>
        stderr.Contains("URI failed: No such file or directory", StringComparison.Ordinal) || stderr.Contains("URI failed: Connection refused", StringComparison.Ordinal);

    /// <exception cref="ObservedParseException">A line is not one swanctl prints.</exception>
    public static ImmutableArray<ObservedIkeSa> Parse(string output)
    {
        var context = new ParserContext(nameof(SwanctlSasParser), Command);
        var sas = ImmutableArray.CreateBuilder<ObservedIkeSa>();
        ObservedIkeSa? ike = null;
        ObservedChildSa? child = null;
        var lines = (output ?? "").Replace("\r\n", "\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var at = $"line {i + 1} (\"{(line.Length <= 80 ? line : line[..80] + "...")}\")";
            if (line.Length == 0) continue;
            if (IkeHeader().Match(line) is { Success: true } header)
            {
                Close();
                ike = new ObservedIkeSa { Name = header.Groups["name"].Value, State = header.Groups["state"].Value, LocalHost = "", RemoteHost = "" };
                continue;
            }
            if (ike is null) throw context.Error($"{at}: expected an IKE SA header (\"NAME: #N, STATE, IKEv2, SPI_i SPI_r\") first");
            if (ChildHeader().Match(line) is { Success: true } childHeader)
            {
                CloseChild();
                child = new ObservedChildSa { Name = childHeader.Groups["name"].Value, State = childHeader.Groups["state"].Value };
                continue;
            }
            if (child is not null && line.StartsWith("    ", StringComparison.Ordinal))
            {
                child = ChildLine(child, line[4..], at, context);
                continue;
            }
            if (child is not null) throw context.Error($"{at}: expected a CHILD SA line (indented by four) or the next SA");
            ike = IkeLine(ike, line, at, context);
        }
        Close();
        return sas.ToImmutable();

        void CloseChild()
        {
            if (child is null) return;
            ike = ike! with { Children = ike.Children.Add(child) };
            child = null;
        }

        void Close()
        {
            CloseChild();
            if (ike is not null) sas.Add(ike);
            ike = null;
        }
    }

    private static ObservedIkeSa IkeLine(ObservedIkeSa ike, string line, string at, ParserContext context)
    {
        if (Endpoint().Match(line) is { Success: true } endpoint)
            return endpoint.Groups["side"].Value == "local" ? ike with { LocalHost = endpoint.Groups["host"].Value } : ike with { RemoteHost = endpoint.Groups["host"].Value };
        if (Established().Match(line) is { Success: true } established)
            return ike with
            {
                EstablishedSecondsAgo = Seconds(established.Groups["ago"]),
                RekeyInSeconds = Seconds(established.Groups["rekey"]),
                ReauthInSeconds = Seconds(established.Groups["reauth"]),
                ExpiresInSeconds = Seconds(established.Groups["expires"]),
            };
        if (Algorithms().IsMatch(line) || Tasks().IsMatch(line)) return ike;
        throw context.Error($"{at}: expected an IKE SA line (local, remote, algorithms, established, queued/active/passive tasks) or a CHILD SA header");
    }

    private static ObservedChildSa ChildLine(ObservedChildSa child, string line, string at, ParserContext context)
    {
        if (Installed().Match(line) is { Success: true } installed)
            return child with
            {
                InstalledSecondsAgo = Seconds(installed.Groups["ago"]),
                RekeyInSeconds = Seconds(installed.Groups["rekey"]),
                ExpiresInSeconds = Seconds(installed.Groups["expires"]),
            };
        if (Traffic().Match(line) is { Success: true } traffic)
        {
            var value = traffic.Groups["bytes"].Value == Null ? null
                : new ObservedSaTraffic(Count(traffic.Groups["bytes"]), Count(traffic.Groups["packets"]), Seconds(traffic.Groups["ago"]));
            return traffic.Groups["dir"].Value == "in " ? child with { In = value } : child with { Out = value };
        }
        if (Selectors().IsMatch(line)) return child;
        throw context.Error($"{at}: expected a CHILD SA line (installed, in, out, label, local, remote)");
    }

    /// <summary>What glibc's printf writes for a value charon did not send.</summary>
    private const string Null = "(null)";

    private static long? Seconds(Group group) =>
        group.Success && group.Value != Null ? long.Parse(group.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) : null;

    private static long Count(Group group) => long.Parse(group.Value, NumberStyles.None, CultureInfo.InvariantCulture);

    // "blue.1a2b3c4d: #3, ESTABLISHED, IKEv2, 5f0c..._i* 9e1d..._r"
    [GeneratedRegex(@"^(?<name>\S.*?): #\d+, (?<state>[A-Z_]+), IKEv\d, [0-9a-f]+_i\*? [0-9a-f]+_r\*?$")]
    private static partial Regex IkeHeader();

    // "  local  '198.51.100.211' @ 198.51.100.211[500]" (then virtual IPs, EAP or XAuth identities)
    [GeneratedRegex(@"^  (?<side>local|remote) +'.*' @ (?<host>[^\[\s]+)\[\d+\]")]
    private static partial Regex Endpoint();

    // "  AES_GCM_16-256/PRF_HMAC_SHA2_384/ECP_384" (and "/PPK")
    [GeneratedRegex(@"^  [A-Z][A-Za-z0-9_-]*(/[A-Za-z0-9_-]+)+$")]
    private static partial Regex Algorithms();

    [GeneratedRegex(@"^  established (?<ago>-?\d+)s ago(, rekeying in (?<rekey>-?\d+)s)?(, reauth in (?<reauth>-?\d+)s)?(, expires in (?<expires>-?\d+)s)?$")]
    private static partial Regex Established();

    [GeneratedRegex(@"^  (queued: |active: |passive:) .*$")]
    private static partial Regex Tasks();

    // "  blue.1a2b3c4d.out: #1, reqid 1, INSTALLED, TRANSPORT, ESP:AES_GCM_16-256"
    [GeneratedRegex(@"^  (?<name>\S.*?): #\d+, reqid \d+, (?<state>[A-Z_]+), [A-Z_]+(-in-UDP)?, .*:.*$")]
    private static partial Regex ChildHeader();

    [GeneratedRegex(@"^installed (?<ago>-?\d+|\(null\))s ago(, rekeying in (?<rekey>-?\d+)s)?(, expires in (?<expires>-?\d+)s)?$")]
    private static partial Regex Installed();

    // "in  c3a1b2d4,    612 bytes,     5 packets,     2s ago" (an SPI, maybe "/CPI" and "(mark|if-id)", then the counters)
    [GeneratedRegex(@"^(?<dir>in |out) \S+( \([^)]*\))?, +(?<bytes>\d+|\(null\)) bytes, +(?<packets>\d+|\(null\)) packets(, +(?<ago>\d+)s ago)?$")]
    private static partial Regex Traffic();

    [GeneratedRegex(@"^(label  |local  |remote )\S.*$")]
    private static partial Regex Selectors();
}
