using Superbridge.Lab;

namespace Superbridge.Ssh.Tests.EndToEnd;

/// <summary>
/// A smaller MTU on the underlay path between two lab hosts (<c>lab/path-mtu</c>): longer packets between them are
/// dropped silently in both directions and both hosts' eth0 keep 1500, as on a real path that filters ICMP.
/// Disposing lifts it.
/// </summary>
internal sealed class LabPathMtu : IAsyncDisposable
{
    private readonly LabEnvironment _lab;
    private readonly LabHost _a;
    private readonly LabHost _b;

    private LabPathMtu(LabEnvironment lab, LabHost a, LabHost b) => (_lab, _a, _b) = (lab, a, b);

    public static async Task<LabPathMtu> NarrowAsync(LabEnvironment lab, LabHost a, LabHost b, int mtu)
    {
        var path = new LabPathMtu(lab, a, b);
        (await path.RunAsync(mtu.ToString(System.Globalization.CultureInfo.InvariantCulture))).EnsureSuccess();
        return path;
    }

    public async ValueTask DisposeAsync() => (await RunAsync("clear")).EnsureSuccess();

    private Task<CommandResult> RunAsync(string what) => LabProcess.RunAsync(
        Path.Combine(_lab.RepositoryRoot, "lab", "path-mtu"), [_a.Name, _b.Name, what], TimeSpan.FromSeconds(30), _lab.RepositoryRoot,
        environment: new Dictionary<string, string> { ["SBLAB_TEST_RUN"] = "1" });
}
