using System.Diagnostics;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace Superbridge.Ssh.Tests.Support;

/// <summary>
/// A throwaway OpenSSH server of these tests' own, in network namespace <c>sbssh-t1</c> at 198.51.100.202
/// (a /30 with the root namespace at .201), listening on ports 22 and 2201-2203. Besides root (key login) it has
/// <c>sbssh-op</c> (passwordless sudo) and <c>sbssh-pw</c> (sudo wants a password). 198.51.100.199 is routed into
/// the namespace, which does not forward: packets to it vanish, so connecting there times out.
/// Everything is removed on dispose. Needs root, iproute2 and openssh-server.
/// </summary>
public sealed class SshdFixture : IDisposable
{
    public const string Namespace = "sbssh-t1";
    public const string Address = "198.51.100.202";
    public const string SilentAddress = "198.51.100.199";
    public const string OperatorUser = "sbssh-op";
    public const string PasswordSudoUser = "sbssh-pw";
    public const string KeyPassphrase = "correct horse ' $(battery) staple";
    public static readonly int[] ExtraPorts = [2201, 2202, 2203];

    private const string HostVeth = "sbssh-h0";
    private const string NamespaceVeth = "sbssh-n0";
    private const string HostSideAddress = "198.51.100.201";
    private const string SudoersFile = "/etc/sudoers.d/sbssh-tests";

    private readonly Process _sshd;

    public SshdFixture()
    {
        if (Environment.UserName != "root") throw new InvalidOperationException("The SSH tests start their own sshd in a network namespace and need root.");
        if (!File.Exists("/usr/sbin/sshd")) throw new InvalidOperationException("The SSH tests need openssh-server (/usr/sbin/sshd); test.sh installs it.");

        Directory = System.IO.Directory.CreateTempSubdirectory("sbssh-").FullName;
        File.SetUnixFileMode(Directory, (UnixFileMode)0b111_101_101);
        RemoveNetwork();
        CreateNetwork();

        Shell.Run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "sbssh-host", "-f", HostKeyPath);
        Shell.Run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "sbssh-root", "-f", RootKeyPath);
        Shell.Run("ssh-keygen", "-q", "-t", "rsa", "-b", "2048", "-m", "PEM", "-N", "", "-C", "sbssh-pem", "-f", PemKeyPath);
        Shell.Run("ssh-keygen", "-q", "-t", "ed25519", "-N", KeyPassphrase, "-C", "sbssh-op", "-f", OperatorKeyPath);
        Shell.Run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "sbssh-stranger", "-f", StrangerKeyPath);

        OperatorPassword = RandomPassword();
        PasswordSudoUserPassword = RandomPassword();
        CreateUser(OperatorUser, OperatorPassword);
        CreateUser(PasswordSudoUser, PasswordSudoUserPassword);
        File.WriteAllText(SudoersFile, $"{OperatorUser} ALL=(ALL) NOPASSWD: ALL\n{PasswordSudoUser} ALL=(ALL) ALL\n");
        File.SetUnixFileMode(SudoersFile, UnixFileMode.UserRead | UnixFileMode.GroupRead);
        Shell.Run("visudo", "-c", "-q", "-f", SudoersFile);

        var authorized = Path.Combine(Directory, "authorized");
        System.IO.Directory.CreateDirectory(authorized);
        File.WriteAllText(Path.Combine(authorized, "root"), File.ReadAllText(RootKeyPath + ".pub") + File.ReadAllText(PemKeyPath + ".pub"));
        File.WriteAllText(Path.Combine(authorized, OperatorUser), File.ReadAllText(OperatorKeyPath + ".pub"));
        File.WriteAllText(Path.Combine(authorized, PasswordSudoUser), File.ReadAllText(RootKeyPath + ".pub"));

        var listen = string.Join("", new[] { 22 }.Concat(ExtraPorts).Select(p => $"ListenAddress {Address}:{p}\n"));
        File.WriteAllText(ConfigPath, listen + $"""
            HostKey {HostKeyPath}
            PidFile {Path.Combine(Directory, "sshd.pid")}
            AuthorizedKeysFile {authorized}/%u
            StrictModes no
            PermitRootLogin prohibit-password
            PubkeyAuthentication yes
            PasswordAuthentication yes
            KbdInteractiveAuthentication no
            UsePAM no
            PrintMotd no
            MaxStartups 100
            MaxSessions 20
            LogLevel VERBOSE
            """ + "\n");
        System.IO.Directory.CreateDirectory("/run/sshd");

        // sshd runs every command through root's bash, which sources ~/.bashrc: the machine's own (pyenv and the
        // like, over a second here) must not be what each test command pays for. `ip netns exec` gives sshd its own
        // mount namespace, so an empty home is bound over /root there only, as lab/up does for lab hosts.
        var home = Path.Combine(Directory, "root-home");
        System.IO.Directory.CreateDirectory(home);
        var start = new ProcessStartInfo("ip") { UseShellExecute = false };
        foreach (var a in new[] { "netns", "exec", Namespace, "/bin/sh", "-c", "mount --bind \"$0\" /root && exec /usr/sbin/sshd -D -f \"$1\" -E \"$2\"",
                     home, ConfigPath, LogPath })
            start.ArgumentList.Add(a);
        _sshd = Process.Start(start) ?? throw new InvalidOperationException("Cannot start sshd.");
        WaitUntilListening();
    }

    public string Directory { get; }
    public string HostKeyPath => Path.Combine(Directory, "host_ed25519");
    public string RootKeyPath => Path.Combine(Directory, "root_ed25519");
    public string PemKeyPath => Path.Combine(Directory, "root_rsa_pem");
    public string OperatorKeyPath => Path.Combine(Directory, "op_ed25519");
    public string StrangerKeyPath => Path.Combine(Directory, "stranger_ed25519");
    public string ConfigPath => Path.Combine(Directory, "sshd_config");
    public string LogPath => Path.Combine(Directory, "sshd.log");
    public string OperatorPassword { get; }
    public string PasswordSudoUserPassword { get; }

    /// <summary>The host key's fingerprint as <c>ssh-keygen -lf</c> prints it (second field).</summary>
    public string HostKeyFingerprintFromSshKeygen() => Shell.Run("ssh-keygen", "-lf", HostKeyPath + ".pub").Split(' ')[1];

    /// <summary>Kills sshd's per-connection processes (by pid, children of our listener): every client is dropped, the listener stays.</summary>
    public int DropConnections()
    {
        var children = ChildrenOf(_sshd.Id);
        foreach (var pid in children)
        {
            try { Process.GetProcessById(pid).Kill(entireProcessTree: true); }
            catch (ArgumentException) { } // already gone
        }
        return children.Count;
    }

    public void Dispose()
    {
        try { if (!_sshd.HasExited) _sshd.Kill(entireProcessTree: true); _sshd.WaitForExit(5000); } catch (InvalidOperationException) { }
        _sshd.Dispose();
        RemoveNetwork();
        foreach (var user in new[] { OperatorUser, PasswordSudoUser }) Shell.TryRun("userdel", "-r", user);
        File.Delete(SudoersFile);
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }

    private static void CreateNetwork()
    {
        Shell.Run("ip", "netns", "add", Namespace);
        Shell.Run("ip", "link", "add", HostVeth, "type", "veth", "peer", "name", NamespaceVeth, "netns", Namespace);
        Shell.Run("ip", "addr", "add", HostSideAddress + "/30", "dev", HostVeth);
        Shell.Run("ip", "link", "set", HostVeth, "up");
        Shell.Run("ip", "-n", Namespace, "addr", "add", Address + "/30", "dev", NamespaceVeth);
        Shell.Run("ip", "-n", Namespace, "link", "set", NamespaceVeth, "up");
        Shell.Run("ip", "-n", Namespace, "link", "set", "lo", "up");
        // The namespace does not forward (a new namespace's default): what is routed to it for .199 is dropped silently.
        Shell.Run("ip", "route", "replace", SilentAddress + "/32", "via", Address, "dev", HostVeth);
    }

    private static void RemoveNetwork()
    {
        Shell.TryRun("ip", "route", "del", SilentAddress + "/32", "dev", HostVeth);
        Shell.TryRun("ip", "link", "del", HostVeth);
        Shell.TryRun("ip", "netns", "del", Namespace);
    }

    private static void CreateUser(string name, string password)
    {
        if (Shell.TryRun("id", "-u", name).Exit != 0) Shell.Run("useradd", "-m", "-s", "/bin/sh", name);
        Shell.RunWithInput($"{name}:{password}\n", "chpasswd");
    }

    private static string RandomPassword() => "sb-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(12));

    private void WaitUntilListening()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            if (_sshd.HasExited) throw new InvalidOperationException($"sshd exited {_sshd.ExitCode}: {(File.Exists(LogPath) ? File.ReadAllText(LogPath) : "")}");
            try
            {
                using var probe = new TcpClient();
                probe.Connect(Address, 22);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(100);
            }
        }
    }

    private static List<int> ChildrenOf(int parent)
    {
        var children = new List<int>();
        foreach (var dir in System.IO.Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (int.Parse(fields[1]) == parent) children.Add(pid);
            }
            catch (IOException) { }
        }
        return children;
    }
}

[CollectionDefinition(Name)]
public sealed class SshdCollection : ICollectionFixture<SshdFixture>
{
    public const string Name = "Own sshd in sbssh-t1";
}
