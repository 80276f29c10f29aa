using System.Text.RegularExpressions;

namespace Superbridge.Core.Validation;

/// <summary>
/// Allow-lists for every name that can reach an argv. Narrower than what the kernel or LXC accept:
/// anything outside them is refused rather than quoted, so a name can never be read as an option
/// (leading '-') or an iproute2 keyword.
/// </summary>
public static partial class NameRules
{
    public const int IfNameMax = 15; // IFNAMSIZ - 1 (the kernel keeps a NUL)

    // Words iproute2 treats specially in the position of a device name.
    private static readonly HashSet<string> IprouteKeywords = new(StringComparer.Ordinal)
    {
        "help", "dev", "name", "type", "link", "all", "any", "up", "down", "master", "nomaster", "none", "default",
    };

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,14}\\z")]
    private static partial Regex InterfaceRegex();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}\\z")]
    private static partial Regex ContainerRegex();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}\\z")]
    private static partial Regex HostIdRegex();

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,31}\\z")]
    private static partial Regex SegmentRegex();

    [GeneratedRegex("^/[A-Za-z0-9_./-]{0,254}\\z")]
    private static partial Regex PathRegex();

    [GeneratedRegex("^([0-9a-fA-F]{8}|[0-9a-fA-F]{16})\\z")]
    private static partial Regex CookieRegex();

    [GeneratedRegex("^(infinite|[1-9][0-9]{0,8}[mhdw]?)\\z")]
    private static partial Regex LeaseRegex();

    /// <summary>Linux interface name: 1..15 chars, no '/', ':', whitespace; not '.' or '..'; not an option or keyword.</summary>
    public static string? InterfaceProblem(string? name)
    {
        if (string.IsNullOrEmpty(name)) return "is empty";
        if (name.Length > IfNameMax) return $"is {name.Length} characters; interface names have at most {IfNameMax}";
        if (name is "." or "..") return "cannot be '.' or '..'";
        if (!InterfaceRegex().IsMatch(name)) return "may only contain letters, digits, '_', '.', '-' and cannot start with '.' or '-'";
        if (IprouteKeywords.Contains(name)) return $"'{name}' is an iproute2 keyword";
        return null;
    }

    public static string? ContainerProblem(string? name) =>
        string.IsNullOrEmpty(name) ? "is empty"
        : ContainerRegex().IsMatch(name) ? null
        : "must be 1..64 letters, digits, '_', '.', '-' starting with a letter or digit";

    public static string? HostIdProblem(string? id) =>
        string.IsNullOrEmpty(id) ? "is empty"
        : HostIdRegex().IsMatch(id) ? null
        : "must be 1..63 letters, digits, '_', '.', '-' starting with a letter or digit";

    public static string? SegmentNameProblem(string? name) =>
        string.IsNullOrEmpty(name) ? "is empty"
        : SegmentRegex().IsMatch(name) ? null
        : "must be 1..32 lowercase letters, digits or '-' starting with a letter or digit";

    /// <summary>Absolute path of plain characters with no '..' component.</summary>
    public static string? PathProblem(string? path)
    {
        if (string.IsNullOrEmpty(path)) return "is empty";
        if (!PathRegex().IsMatch(path)) return "must be an absolute path of letters, digits, '_', '.', '-', '/' (at most 255)";
        if (path.Split('/').Any(part => part == "..")) return "cannot contain '..'";
        return null;
    }

    public static string? CookieProblem(string? cookie) =>
        cookie is not null && CookieRegex().IsMatch(cookie) ? null : "must be 8 or 16 hex digits";

    /// <summary>dnsmasq lease time: seconds, or with m/h/d/w suffix, or 'infinite'; at least two minutes (dnsmasq's minimum).</summary>
    public static string? LeaseTimeProblem(string? lease)
    {
        if (lease is null || !LeaseRegex().IsMatch(lease)) return "must be seconds, a number with m/h/d/w, or 'infinite' (e.g. 12h)";
        if (lease == "infinite") return null;
        var unit = char.IsDigit(lease[^1]) ? 's' : lease[^1];
        var number = long.Parse(unit == 's' ? lease : lease[..^1], System.Globalization.CultureInfo.InvariantCulture);
        var seconds = unit switch { 'm' => number * 60, 'h' => number * 3600, 'd' => number * 86400, 'w' => number * 604800, _ => number };
        return seconds < 120 ? "must be at least 2 minutes (dnsmasq's minimum)" : null;
    }
}
