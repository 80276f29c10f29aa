using System.Collections.Immutable;
using Superbridge.Core.Mtu;
using Superbridge.Operations;
using Superbridge.Ssh.Apply;
using Superbridge.Ssh.Audit;
using Superbridge.Ssh.Connections;
using Superbridge.Ssh.Execution;

namespace Superbridge.Ssh.Paths;

/// <summary>
/// <see cref="IPathProber"/> over SSH: each sending host runs <see cref="PathProbeProgram"/> for all its paths on its
/// pooled session (read by <c>sh -s</c>, like the inventory), hosts in parallel.
/// </summary>
public sealed class SshPathProber(SshConnectionPool pool, IHostTargetSource targets) : IPathProber
{
    /// <summary>A failed probe waits 1 s for its reply; a binary search over 576..9000 takes at most 16 of them.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public async Task<PathProbes> ProbeAsync(IReadOnlyCollection<UnderlayPath> paths, OperationContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(context);
        var audit = new AuditTag(context.OperationId, context.User);
        var hosts = await Task.WhenAll(paths.GroupBy(p => p.From).Select(g => ProbeHostAsync([.. g], audit, cancellationToken)));
        return new PathProbes([.. hosts.SelectMany(h => h.Results)], [.. hosts.Select(h => h.Problem).OfType<PreflightProblem>()]);
    }

    private async Task<(IEnumerable<PathProbeResult> Results, PreflightProblem? Problem)> ProbeHostAsync(
        IReadOnlyList<UnderlayPath> paths, AuditTag audit, CancellationToken cancellationToken)
    {
        var host = paths[0].From;
        if (await targets.FindAsync(host, cancellationToken) is not { } target)
            return ([], new PreflightProblem(host, $"host {host} is not known (no address or credentials)"));
        try
        {
            var session = await pool.GetAsync(target, cancellationToken);
            var result = await session.RunScriptAsync(PathProbeProgram.Build(paths), ScriptDelivery.StandardInput,
                new RunOptions { AllowNonZeroExit = true, Timeout = Timeout, Audit = audit }, cancellationToken);
            var found = PathProbeProgram.Parse(result.StandardOutput, paths.Count);
            return (paths.Select((p, i) => new PathProbeResult(p, found[i].Mtu, found[i].Failure)), null);
        }
        catch (SshFailureException e)
        {
            return ([], new PreflightProblem(host, $"the path MTU to {string.Join(", ", paths.Select(p => p.To))} could not be measured from {host} ({e.Reason}): {e.Message}"));
        }
    }
}
