namespace Superbridge.Lab;

/// <summary>
/// A running lab and the means to act in it. Either reused from an outer
/// <c>lab/up --json</c> (environment variable <see cref="JsonVariable"/> names the
/// JSON file; the outer script also brings it down) or brought up here with
/// <c>lab/up --json</c> and brought down again by <see cref="DisposeAsync"/>.
/// </summary>
public sealed class LabEnvironment : IAsyncDisposable
{
    public const string JsonVariable = "SUPERBRIDGE_LAB_JSON";

    /// <summary>Held (flock, through FileShare.None) by every test process that brings the lab up itself,
    /// from lab/up to lab/down: another test run on the same machine waits instead of rebuilding the lab
    /// under this one's feet. The kernel drops it when the process dies.</summary>
    public const string TestRunLockPath = "/run/sblab-tests.lock";

    /// <summary>What <c>lab/up</c> builds for a test run (test.sh passes the same): hosts 1–3 plain, host 4 behind a
    /// 1:1 NAT, host 5 with a Docker-like firewall (both in <see cref="LabDescription.SpecialHosts"/>), then 27
    /// container-less hosts for the large-segment tests.</summary>
    public static readonly IReadOnlyList<string> UpArguments =
        ["5", "--nat-hosts", "4", "--firewall-hosts", "5", "--scale", ScaleHostCount.ToString(System.Globalization.CultureInfo.InvariantCulture), "--json"];

    /// <summary>Container-less hosts beyond the usual ones, for the large-segment tests.</summary>
    public const int ScaleHostCount = 27;

    private static readonly TimeSpan LabScriptTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan TestRunLockTimeout = TimeSpan.FromMinutes(30);

    /// <summary>Tells lab/up and lab/down that the caller is the test run holding <see cref="TestRunLockPath"/>
    /// (they refuse to run while someone else holds it).</summary>
    private static readonly Dictionary<string, string> ScriptEnvironment = new() { ["SBLAB_TEST_RUN"] = "1" };

    private readonly FileStream? _testRunLock;

    private LabEnvironment(LabDescription description, string repositoryRoot, FileStream? testRunLock)
    {
        Description = description;
        RepositoryRoot = repositoryRoot;
        _testRunLock = testRunLock;
    }

    public LabDescription Description { get; }

    public string RepositoryRoot { get; }

    /// <summary>True when this instance ran <c>lab/up</c> and will run <c>lab/down</c>.</summary>
    public bool OwnsLab => _testRunLock is not null;

    public IReadOnlyList<LabHost> Hosts => Description.Hosts;

    public static async Task<LabEnvironment> StartAsync(CancellationToken cancellationToken = default)
    {
        var root = FindRepositoryRoot();
        var jsonPath = Environment.GetEnvironmentVariable(JsonVariable);
        if (!string.IsNullOrWhiteSpace(jsonPath))
        {
            var json = await File.ReadAllTextAsync(jsonPath, cancellationToken);
            return new LabEnvironment(LabDescription.Parse(json), root, testRunLock: null);
        }

        if (Environment.UserName != "root")
        {
            throw new InvalidOperationException(
                "The lab needs root (network namespaces, bridges, LXC). Run the tests as root, "
                + $"or point {JsonVariable} at the output of `sudo lab/up --json`.");
        }
        var testRunLock = await TakeTestRunLockAsync(cancellationToken);
        try
        {
            var up = await LabProcess.RunAsync(
                Path.Combine(root, "lab", "up"), UpArguments, LabScriptTimeout, root, cancellationToken,
                ScriptEnvironment);
            if (!up.Succeeded)
            {
                throw new InvalidOperationException($"lab/up failed (it cleans up after itself):\n{up}");
            }
            return new LabEnvironment(LabDescription.Parse(up.StandardOutput), root, testRunLock);
        }
        catch
        {
            await testRunLock.DisposeAsync();
            throw;
        }
    }

    private static async Task<FileStream> TakeTestRunLockAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TestRunLockTimeout;
        while (true)
        {
            try
            {
                return new FileStream(TestRunLockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!OwnsLab)
        {
            return;
        }
        try
        {
            var down = await LabProcess.RunAsync(
                Path.Combine(RepositoryRoot, "lab", "down"), [], LabScriptTimeout, RepositoryRoot,
                environment: ScriptEnvironment);
            down.EnsureSuccess();
        }
        finally
        {
            await _testRunLock!.DisposeAsync();
        }
    }

    /// <summary>Walks up from the test binaries to the folder holding Dashboard.sln.</summary>
    public static string FindRepositoryRoot(string? start = null)
    {
        for (var directory = new DirectoryInfo(start ?? AppContext.BaseDirectory);
             directory is not null;
             directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Dashboard.sln")))
            {
                return directory.FullName;
            }
        }
        throw new DirectoryNotFoundException(
            $"no Dashboard.sln above {start ?? AppContext.BaseDirectory}");
    }

    public LabHost Host(int number) => Hosts[number - 1];

    /// <summary><c>ip netns exec &lt;namespace&gt; command...</c> (a fresh mount namespace, no cgroups: use
    /// <see cref="RunOnHostAsync"/> or SSH for lxc-start).</summary>
    public Task<CommandResult> RunInNamespaceAsync(
        string networkNamespace, IEnumerable<string> command, TimeSpan? timeout = null) =>
        LabProcess.RunAsync("ip", ["netns", "exec", networkNamespace, .. command], timeout);

    /// <summary>Runs a command on a lab host the way an SSH session there sees it: in the
    /// network, mount (per-host /etc/lxc, users, cgroups) and UTS namespaces of its sshd.</summary>
    public async Task<CommandResult> RunOnHostAsync(
        LabHost host, IEnumerable<string> command, TimeSpan? timeout = null)
    {
        var sshdPid = (await File.ReadAllTextAsync(host.SshdPidFile)).Trim();
        return await LabProcess.RunAsync(
            "nsenter", ["--target", sshdPid, "--net", "--mount", "--uts", "--", .. command], timeout);
    }

    /// <summary>Runs <paramref name="remoteCommand"/> through the real OpenSSH client with the lab key.
    /// As with any ssh, the remote command is one string run by the login shell on the host.</summary>
    public Task<CommandResult> SshAsync(
        LabHost host, string user, string remoteCommand, TimeSpan? timeout = null) =>
        LabProcess.RunAsync("ssh", [.. SshOptions(host), $"{user}@{host.Address}", remoteCommand], timeout);

    public Task<CommandResult> SshAsRootAsync(LabHost host, string remoteCommand, TimeSpan? timeout = null) =>
        SshAsync(host, host.Users.Root, remoteCommand, timeout);

    /// <summary>Client options for a throw-away lab: the lab key only, no host-key prompts or records.</summary>
    public IReadOnlyList<string> SshOptions(LabHost host) =>
    [
        "-i", Description.KeyPath,
        "-p", host.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "-o", "IdentitiesOnly=yes",
        "-o", "StrictHostKeyChecking=no",
        "-o", "UserKnownHostsFile=/dev/null",
        "-o", "BatchMode=yes",
        "-o", "ConnectTimeout=5",
        "-o", "LogLevel=ERROR",
    ];
}
