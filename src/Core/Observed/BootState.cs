using System.Collections.Immutable;

namespace Superbridge.Core.Observed;

/// <summary>Whether what Superbridge applies on a host comes back when the host boots.</summary>
public enum Persistence
{
    /// <summary>Runtime state only: a reboot erases the segment (PID 1 is not systemd, or not the host's own).</summary>
    None,
    /// <summary>PID 1 is systemd in the host's own network namespace: each segment gets a boot unit.</summary>
    Systemd,
}

/// <summary>
/// What a host's boot brings back: its init system, and the boot files Superbridge wrote there
/// (<c>/etc/systemd/system/superbridge-*.service</c>, <c>/etc/superbridge/*</c>, <c>/etc/sysctl.d/*superbridge*</c>,
/// and the swanctl files in <c>/etc/swanctl/conf.d</c>, whose key files are only seen, never read).
/// </summary>
/// <param name="Reason">Why <paramref name="Persistence"/> is what it is, in words for the host's page.</param>
/// <param name="EnabledUnits">Superbridge units wanted by <c>multi-user.target</c> (enabled).</param>
public sealed record BootState(Persistence Persistence, string Reason, ImmutableArray<ObservedFile> Files, ImmutableArray<string> EnabledUnits)
{
    public static BootState Unknown { get; } = new(Persistence.None, "the host's init system was not observed", [], []);

    /// <summary>Superbridge's key files (swanctl secrets): seen, never read.</summary>
    public ImmutableArray<string> SecretFiles { get; init; } = [];

    public ObservedFile? File(string path) => Files.FirstOrDefault(f => f.Path == path);
}

/// <summary>A file as read on the host.</summary>
public sealed record ObservedFile(string Path, string Content);
