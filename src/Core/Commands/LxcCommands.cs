namespace Superbridge.Core.Commands;

/// <summary>
/// Attaching a container = rewriting <c>lxc.net.0.link</c> in its config and restarting it. Restart
/// (not hot-plugging the veth) because the config is then the single truth: a hot-plugged veth is lost
/// on the next restart, and a restarted container re-runs DHCP on the new segment.
/// </summary>
public static class LxcCommands
{
    public const string DefaultLxcPath = "/var/lib/lxc";

    public static string ConfigPath(string? lxcPath, string container) => $"{lxcPath ?? DefaultLxcPath}/{container}/config";

    private static string[] Target(string container, string? lxcPath) =>
        lxcPath is null ? ["-n", container] : ["-n", container, "-P", lxcPath];

    public static Command Stop(string container, string? lxcPath) => new(["lxc-stop", .. Target(container, lxcPath)]);
    public static Command Start(string container, string? lxcPath) => new(["lxc-start", .. Target(container, lxcPath)]);

    /// <summary>Replaces the value of the lxc.net.0.link line. Values are validated interface names, which contain no sed metacharacters that matter in a replacement ('/', '&amp;', '\').</summary>
    public static Command SetLink(string configPath, string link) =>
        Command.Own("sed", "-i", "-e", $"s/^lxc\\.net\\.0\\.link[[:space:]]*=.*$/lxc.net.0.link = {link}/", configPath);

    /// <summary>Appends an lxc.net.0.link line, for a config that has none (its veth was attached to nothing).</summary>
    public static Command AddLink(string configPath, string link) =>
        Command.Of("sed", "-i", "-e", $"$a lxc.net.0.link = {link}", configPath);

    /// <summary>Removes the lxc.net.0.link line (undoes <see cref="AddLink"/>).</summary>
    public static Command RemoveLink(string configPath) =>
        Command.Of("sed", "-i", "-e", "/^lxc\\.net\\.0\\.link[[:space:]]*=/d", configPath);

    public static Command LinkIs(string configPath, string link) =>
        Command.Own("grep", "-qxF", "--", $"lxc.net.0.link = {link}", configPath);

    /// <summary>"Stopped for attaching" is done when the config already names the bridge or the container is stopped.</summary>
    public static Command StoppedOrLinked(string container, string? lxcPath, string configPath, string link) =>
        new(["sh", "-c", "grep -qxF -- \"lxc.net.0.link = $1\" \"$2\" && exit 0; shift 2; lxc-info -s \"$@\" | grep -q STOPPED",
            "sh", link, configPath, .. Target(container, lxcPath)]);

    public static Command IsRunning(string container, string? lxcPath) =>
        new(["sh", "-c", "lxc-info -s \"$@\" | grep -q RUNNING", "sh", .. Target(container, lxcPath)]);
}
