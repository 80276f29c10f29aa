namespace Superbridge.Core.Observed;

/// <summary>What a host has for IPsec: swanctl installed, the kernel's xfrm, and whether charon answers swanctl.</summary>
public sealed record IpsecFacts(bool Swanctl, bool Xfrm, bool CharonRunning)
{
    public static IpsecFacts Unknown { get; } = new(false, false, false);

    /// <summary>What is missing for an encrypted segment, in words, or null when nothing is.</summary>
    public string? Missing => !Xfrm ? "the kernel has no xfrm (IPsec)"
        : !Swanctl ? "strongSwan is not installed (Debian: apt install strongswan-swanctl charon-systemd)"
        : !CharonRunning ? "strongSwan's charon is not running (systemctl start strongswan)"
        : null;
}

/// <summary>
/// The inventory's ipsec section, <c>key=value</c> lines: <c>swanctl=yes|no</c> (<c>command -v</c>), <c>xfrm=yes|no</c>
/// (<c>/proc/sys/net/core/xfrm_acq_expires</c> exists), <c>charon=running|stopped|-</c> (<c>swanctl --stats</c>, run
/// only where swanctl is installed).
/// </summary>
public static class IpsecFactsParser
{
    public const string Command = "ipsec probe (command -v swanctl, xfrm sysctl, swanctl --stats)";

    /// <exception cref="ObservedParseException">A line is not key=value or a key is missing.</exception>
    public static IpsecFacts Parse(string output)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in (output ?? "").Replace("\r\n", "\n").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = line.IndexOf('=');
            if (eq <= 0) throw new ObservedParseException(nameof(IpsecFactsParser), Command, $"expected key=value, found \"{line}\"");
            values[line[..eq]] = line[(eq + 1)..];
        }
        if (!values.TryGetValue("swanctl", out var swanctl) || !values.TryGetValue("xfrm", out var xfrm) || !values.TryGetValue("charon", out var charon))
            throw new ObservedParseException(nameof(IpsecFactsParser), Command, "expected swanctl=, xfrm= and charon= lines");
        return new IpsecFacts(swanctl == "yes", xfrm == "yes", charon == "running");
    }
}
