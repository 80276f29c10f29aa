using System.Collections.Immutable;
using Superbridge.Core.Model;
using Superbridge.Core.Observed;
using Superbridge.Ssh.Audit;
using Superbridge.Ssh.Connections;
using Superbridge.Ssh.Execution;

namespace Superbridge.Ssh.Inventory;

/// <summary>
/// Inventories hosts: one round trip per host (the <see cref="InventoryScript"/> on the host's pooled session, read
/// from stdin by <c>sh -s</c>), split, parsed and classified into a <see cref="HostInventoryResult"/>. Each host is
/// bounded by <see cref="InventoryOptions.PerHostTimeout"/>; <see cref="RefreshAllAsync"/> runs hosts in parallel so a
/// slow or dead host costs its own timeout and holds no one else up. A singleton beside the pool.
/// </summary>
public sealed class HostInventoryService
{
    private readonly SshConnectionPool _pool;
    private readonly TimeProvider _time;
    private readonly InventoryOptions _options;

    public HostInventoryService(SshConnectionPool pool, TimeProvider timeProvider, InventoryOptions? options = null)
    {
        _pool = pool ?? throw new ArgumentNullException(nameof(pool));
        _time = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _options = options ?? InventoryOptions.Default;
        if (_options.PerHostTimeout <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(options), _options.PerHostTimeout, "The per-host timeout must be positive.");
    }

    public InventoryOptions Options => _options;

    /// <summary>
    /// Inventories one host. Never throws for the host's fault: an unreachable host, a refused login, a timeout are
    /// <see cref="HostInventoryResult.Offline"/>. Only the caller's own cancellation throws.
    /// </summary>
    /// <param name="hostsByUnderlayAddress">Underlay address of every known host, to name tunnel peers; by default only this host's.</param>
    public async Task<HostInventoryResult> RefreshAsync(
        InventoryTarget target,
        IReadOnlyDictionary<string, HostId>? hostsByUnderlayAddress = null,
        AuditTag? audit = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        var started = _time.GetTimestamp();
        var endpoint = target.Connection.Endpoint;
        using var timeout = new CancellationTokenSource(_options.PerHostTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            var session = await _pool.GetAsync(target.Connection, linked.Token);
            var remaining = _options.PerHostTimeout - _time.GetElapsedTime(started);
            if (remaining <= TimeSpan.Zero) throw new OperationCanceledException(timeout.Token);
            var result = await session.RunScriptAsync(
                Script(target), ScriptDelivery.StandardInput, new RunOptions { AllowNonZeroExit = true, Timeout = remaining, Audit = audit }, linked.Token);

            var output = InventoryOutputSplitter.Split(result.StandardOutput);
            if (output.Sections.IsEmpty && !output.IsComplete)
            {
                var stderr = result.StandardError.Trim();
                return Offline(target, started, new SshFailure(SshFailureReason.Other,
                    $"The inventory script did not run on {endpoint} (exit {result.ExitCode}{(stderr.Length == 0 ? "" : ": " + Shorten(stderr))}): {output.Problem}")
                { PresentedKey = session.HostKey });
            }
            var assembled = InventoryAssembler.Assemble(output, target.UnderlayLookupAddress);
            var addresses = hostsByUnderlayAddress ?? new Dictionary<string, HostId> { [target.EffectivePeerAddress] = target.Id };
            var bridges = BridgePortClassifier.Classify(assembled.Host, addresses);
            return new HostInventoryResult.Online
            {
                HostId = target.Id,
                Host = assembled.Host,
                Bridges = bridges,
                Inventory = HostInventoryView.Create(target.Id, assembled, bridges, addresses),
                Assembled = assembled,
                HostKey = session.HostKey,
                ConnectionId = session.ConnectionId,
                Duration = _time.GetElapsedTime(started),
            };
        }
        catch (SshFailureException e)
        {
            return Offline(target, started, e.Failure);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return Offline(target, started, new SshFailure(SshFailureReason.Timeout,
                $"No inventory from {endpoint} within {_options.PerHostTimeout.TotalSeconds:0.#} s: the host is down, unreachable, or too slow to answer."));
        }
    }

    /// <summary>
    /// Inventories every host at once; results come in the order of <paramref name="targets"/>. Tunnel peers are named
    /// from the targets' underlay addresses, plus <paramref name="otherHostsByUnderlayAddress"/> (hosts not refreshed now).
    /// </summary>
    public async Task<ImmutableArray<HostInventoryResult>> RefreshAllAsync(
        IEnumerable<InventoryTarget> targets,
        IReadOnlyDictionary<string, HostId>? otherHostsByUnderlayAddress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var list = targets.ToArray();
        var addresses = UnderlayMap(list, otherHostsByUnderlayAddress);
        var refreshes = list.Select(t => Task.Run(() => RefreshAsync(t, addresses, cancellationToken: cancellationToken), cancellationToken)).ToArray();
        return [.. await Task.WhenAll(refreshes)];
    }

    /// <summary>Peer address (what tunnels name as remote) → host id: the targets' (the first target wins a duplicate), then the others not already named.</summary>
    public static IReadOnlyDictionary<string, HostId> UnderlayMap(
        IEnumerable<InventoryTarget> targets, IReadOnlyDictionary<string, HostId>? others = null)
    {
        var map = new Dictionary<string, HostId>(StringComparer.OrdinalIgnoreCase);
        foreach (var target in targets) map.TryAdd(target.EffectivePeerAddress, target.Id);
        if (others is not null)
            foreach (var (address, id) in others) map.TryAdd(address, id);
        return map;
    }

    private static string Script(InventoryTarget target) =>
        string.IsNullOrEmpty(target.LxcPath) ? InventoryScript.Default : InventoryScript.Build(target.LxcPath);

    private HostInventoryResult.Offline Offline(InventoryTarget target, long started, SshFailure failure) => new()
    {
        HostId = target.Id,
        Failure = failure,
        Duration = _time.GetElapsedTime(started),
    };

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "...";
}
