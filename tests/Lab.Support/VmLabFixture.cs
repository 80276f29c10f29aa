using System.Text.Json;

namespace Superbridge.Lab;

/// <summary>The VM hosts as described by <c>lab/vms up --json</c> (also /run/sblab-vms/vms.json).</summary>
public sealed record VmLabDescription(
    string Prefix,
    string StateDir,
    string KeyPath,
    string PublicKey,
    string Kernel,
    IReadOnlyList<VmLabHost> Hosts,
    LabUnderlay Underlay)
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    public static VmLabDescription Parse(string json)
    {
        var description = JsonSerializer.Deserialize<VmLabDescription>(json, JsonOptions)
            ?? throw new FormatException("VM lab JSON is empty");
        if (description.Hosts is null || description.Hosts.Count == 0)
        {
            throw new FormatException("VM lab JSON describes no hosts");
        }
        return description;
    }
}

/// <summary>One QEMU guest of the lab (Debian kernel with ip_gre and l2tp_*), reached over SSH as root with the lab key
/// at <see cref="Address"/>. A guest behind a 1:1 NAT (<c>lab/vms up --nat I</c>, <see cref="Nat"/>) holds only
/// <see cref="PrivateAddress"/>; its NAT namespace <see cref="NatNamespace"/> holds <see cref="PublicAddress"/> (equal
/// to <see cref="PrivateAddress"/> for other guests).</summary>
public sealed record VmLabHost(
    string Name,
    string Address,
    string PrivateAddress,
    string PublicAddress,
    bool Nat,
    string? NatNamespace,
    int Port,
    VmLabUsers Users,
    IReadOnlyList<string> Containers,
    string LxcPath,
    string Tap,
    string QemuPidFile,
    string ConsoleLog,
    int BootMilliseconds,
    string HostKeyPath,
    string HostKeyFingerprint);

public sealed record VmLabUsers(string Root);

/// <summary>
/// xunit fixture for the VM hosts (<c>lab/vms</c>). Reuses VMs an outer script brought up when <see cref="JsonVariable"/>
/// names its <c>lab/vms up --json</c> output (the outer script also brings them down); otherwise runs <c>lab/vms up
/// --json</c> once before the first test and <c>lab/vms down</c> after the last. Use it in a class of the lab's collection
/// (<see cref="LabFixture"/>): the VM tests need the namespace lab's upstream, and that fixture, created first and
/// disposed last, holds the test-run lock so no other run's <c>lab/up</c> (which removes every <c>sblab-*</c> link, the
/// VMs' taps included) happens under these tests.
/// </summary>
public sealed class VmLabFixture : IDisposable
{
    public const string JsonVariable = "SUPERBRIDGE_VMS_JSON";

    private static readonly TimeSpan UpTimeout = TimeSpan.FromMinutes(6);
    private static readonly TimeSpan DownTimeout = TimeSpan.FromMinutes(1);
    private static readonly Dictionary<string, string> ScriptEnvironment = new() { ["SBLAB_TEST_RUN"] = "1" };

    private readonly bool _owns;

    public VmLabFixture()
    {
        RepositoryRoot = LabEnvironment.FindRepositoryRoot();
        var jsonPath = Environment.GetEnvironmentVariable(JsonVariable);
        if (!string.IsNullOrWhiteSpace(jsonPath))
        {
            Description = VmLabDescription.Parse(File.ReadAllText(jsonPath));
            return;
        }
        if (Environment.UserName != "root")
        {
            throw new InvalidOperationException(
                $"The VM hosts need root (QEMU, taps, bridges). Run the tests as root, or point {JsonVariable} at the output of `sudo lab/vms up --json`.");
        }
        var up = LabProcess.RunAsync(Path.Combine(RepositoryRoot, "lab", "vms"), ["up", "--json"], UpTimeout, RepositoryRoot,
            environment: ScriptEnvironment).GetAwaiter().GetResult();
        if (!up.Succeeded)
        {
            throw new InvalidOperationException($"lab/vms up failed (it cleans up after itself):\n{up}");
        }
        Description = VmLabDescription.Parse(up.StandardOutput);
        _owns = true;
    }

    public VmLabDescription Description { get; }

    public string RepositoryRoot { get; }

    public IReadOnlyList<VmLabHost> Hosts => Description.Hosts;

    public VmLabHost Host(int number) => Hosts[number - 1];

    /// <summary>Runs <paramref name="remoteCommand"/> as root on a VM through the real OpenSSH client with the lab key.</summary>
    public Task<CommandResult> SshAsync(VmLabHost host, string remoteCommand, TimeSpan? timeout = null) =>
        LabProcess.RunAsync("ssh",
        [
            "-i", Description.KeyPath,
            "-p", host.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-o", "IdentitiesOnly=yes",
            "-o", "StrictHostKeyChecking=no",
            "-o", "UserKnownHostsFile=/dev/null",
            "-o", "BatchMode=yes",
            "-o", "ConnectTimeout=10",
            "-o", "LogLevel=ERROR",
            $"{host.Users.Root}@{host.Address}",
            remoteCommand,
        ], timeout ?? TimeSpan.FromSeconds(60));

    /// <summary>
    /// Reboots a VM through its own <c>systemctl reboot</c> (<c>lab/vms reboot I</c>), returning once SSH answers again;
    /// the result's output is the line saying how long it took.
    /// </summary>
    public async Task<CommandResult> RebootAsync(VmLabHost host)
    {
        var index = Hosts.ToList().IndexOf(host) + 1;
        var reboot = await LabProcess.RunAsync(Path.Combine(RepositoryRoot, "lab", "vms"),
            ["reboot", index.ToString(System.Globalization.CultureInfo.InvariantCulture)], UpTimeout, RepositoryRoot, environment: ScriptEnvironment);
        return reboot.EnsureSuccess();
    }

    public void Dispose()
    {
        if (_owns)
        {
            LabProcess.RunAsync(Path.Combine(RepositoryRoot, "lab", "vms"), ["down"], DownTimeout, RepositoryRoot,
                environment: ScriptEnvironment).GetAwaiter().GetResult().EnsureSuccess();
        }
    }
}
