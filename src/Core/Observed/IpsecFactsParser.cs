namespace Superbridge.Core.Observed;

/// <summary>What a host has for IPsec: swanctl installed, the kernel's xfrm and ESP, and whether charon answers swanctl.</summary>
public sealed record IpsecFacts(bool Swanctl, bool Xfrm, bool CharonRunning)
{
    public static IpsecFacts Unknown { get; } = new(false, false, false);

    /// <summary>strongSwan's version ("5.9.8"): the daemon's when charon answers, else swanctl's; null when not installed.</summary>
    public string? Version { get; init; }

    /// <summary>What the kernel lacks for ESP; everything until the host is read.</summary>
    public EspKernelSupport Kernel { get; init; } = EspKernelSupport.None;

    /// <summary>
    /// What is missing for an encrypted segment, in words, or null when nothing is: the kernel's part and strongSwan's,
    /// both when both lack something (they are fixed apart: a kernel, packages).
    /// </summary>
    public string? Missing
    {
        get
        {
            var kernel = !Xfrm ? "the kernel has no xfrm (IPsec)" : Kernel.Missing;
            var strongSwan = !Swanctl ? "strongSwan is not installed (Debian: apt install strongswan-swanctl charon-systemd)"
                : !CharonRunning ? "strongSwan's charon is not running (systemctl start strongswan)"
                : null;
            return kernel is null && strongSwan is null ? null : string.Join("; ", new[] { kernel, strongSwan }.OfType<string>());
        }
    }
}

/// <summary>
/// The inventory's ipsec section: <c>key=value</c> lines, then the kernel probe's lines for <see cref="EspKernelProbe.Pieces"/>:
/// <code>
/// swanctl=yes|no                       command -v swanctl
/// charon=running|stopped|-             swanctl --version --daemon answers (- where swanctl is not installed)
/// version=strongSwan 5.9.8 ...         that answer's first line, else swanctl --help's; empty where swanctl is not installed
/// xfrm=yes|no                          /proc/sys/net/core/xfrm_acq_expires exists
/// feature esp no config-unset          one line per piece, as the kernel feature probe prints them
/// </code>
/// Other keys are ignored.
/// </summary>
public static class IpsecFactsParser
{
    public const string Command = "ipsec probe (command -v swanctl, swanctl --version --daemon, xfrm sysctl, ESP kernel probe)";

    private static readonly ParserContext Context = new(nameof(IpsecFactsParser), Command);

    /// <exception cref="ObservedParseException">A line is not key=value or a feature line, a value is not one the probe prints, or a line is missing.</exception>
    public static IpsecFacts Parse(string output)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var features = new Dictionary<string, KernelFeatureLine>(StringComparer.Ordinal);
        var text = ParserContext.Lines(output ?? "");
        for (var i = 0; i < text.Length; i++)
        {
            var line = text[i];
            if (line.Length == 0) continue;
            if (line.StartsWith("feature ", StringComparison.Ordinal))
            {
                var feature = KernelFeatureProbeParser.ParseLine(Context, i + 1, line);
                features[feature.Feature] = feature;
                continue;
            }
            var eq = line.IndexOf('=');
            if (eq <= 0) throw Context.Error($"line {i + 1}: expected key=value or \"feature NAME yes|no|unknown HOW\", found \"{line}\"");
            values[line[..eq]] = line[(eq + 1)..];
        }
        var absent = new[] { "swanctl", "charon", "version", "xfrm" }.Where(k => !values.ContainsKey(k)).Select(k => k + "=")
            .Concat(EspKernelProbe.Pieces.Where(p => !features.ContainsKey(p.Feature)).Select(p => "feature " + p.Feature))
            .ToList();
        if (absent.Count > 0) throw Context.Error($"no line for {string.Join(", ", absent)} (output cut short?)");

        return new IpsecFacts(
            Choice(values, "swanctl", "yes", "no"),
            Choice(values, "xfrm", "yes", "no"),
            Choice(values, "charon", "running", "stopped", "-"))
        {
            Version = Version(values["version"]),
            Kernel = EspKernelProbe.Read(features),
        };
    }

    /// <summary>True for the first of <paramref name="allowed"/>, false for the others.</summary>
    private static bool Choice(Dictionary<string, string> values, string key, params string[] allowed)
    {
        var value = values[key];
        if (!allowed.Contains(value)) throw Context.Error($"{key}: expected {string.Join(", ", allowed)}, found \"{value}\"");
        return value == allowed[0];
    }

    /// <summary>"5.9.8" from "strongSwan 5.9.8 swanctl" or "strongSwan 5.9.8 charon-systemd (Linux, ...)"; null from "".</summary>
    private static string? Version(string line)
    {
        if (line.Length == 0) return null;
        var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length < 2 || words[0] != "strongSwan" || !char.IsAsciiDigit(words[1][0]))
            throw Context.Error($"version: expected \"strongSwan VERSION ...\", found \"{line}\"");
        return words[1];
    }
}
