using System.Collections.Immutable;

namespace Superbridge.Core.Observed;

/// <summary>
/// The inventory's boot section: <c>key=value</c> lines, written by shell builtins only.
/// <code>
/// pid1=systemd                      (/proc/1/comm)
/// systemd=yes                       (/run/systemd/system is a directory: systemd is running as init)
/// netns=same                        (this shell and PID 1 share a network namespace)
/// enabled=superbridge-lan.service   (one per unit linked in multi-user.target.wants)
/// </code>
/// Boot files come in sections of their own, one per file, read verbatim.
/// </summary>
public static class BootStateParser
{
    public const string Command = "boot probe (/proc/1/comm, /run/systemd/system, /proc/1/ns/net)";

    /// <exception cref="ObservedParseException">A line is not key=value, or a key is missing.</exception>
    public static BootState Parse(string output, IEnumerable<ObservedFile> files)
    {
        string? pid1 = null, systemd = null, netns = null;
        var enabled = ImmutableArray.CreateBuilder<string>();
        foreach (var raw in (output ?? "").Replace("\r\n", "\n").Split('\n'))
        {
            if (raw.Length == 0) continue;
            var eq = raw.IndexOf('=');
            if (eq <= 0) throw new ObservedParseException(nameof(BootStateParser), Command, $"expected key=value, found \"{raw}\"");
            var value = raw[(eq + 1)..];
            switch (raw[..eq])
            {
                case "pid1": pid1 = value; break;
                case "systemd": systemd = value; break;
                case "netns": netns = value; break;
                case "enabled": enabled.Add(value); break;
            }
        }
        if (pid1 is null || systemd is null || netns is null)
            throw new ObservedParseException(nameof(BootStateParser), Command, "expected pid1=, systemd= and netns= lines");

        var (persistence, reason) = (pid1, systemd, netns) switch
        {
            (_, _, not "same") => (Persistence.None,
                "Superbridge reaches this host in a network namespace other than PID 1's, so no boot unit of the machine recreates it"),
            ("systemd", "yes", _) => (Persistence.Systemd, "PID 1 is systemd: each segment gets a unit that recreates it at boot"),
            ("systemd", _, _) => (Persistence.None, "PID 1 is systemd but /run/systemd/system is missing (not booted by systemd), so nothing recreates a segment at boot"),
            _ => (Persistence.None,
                $"PID 1 is {(pid1.Length == 0 ? "unknown" : pid1)}, not systemd, so nothing recreates a segment at boot"),
        };
        return new BootState(persistence, reason, [.. files], enabled.ToImmutable());
    }
}
