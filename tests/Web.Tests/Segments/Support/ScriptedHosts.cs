using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Superbridge.Core.Commands;
using Superbridge.Core.Model;
using Superbridge.Core.Mtu;
using Superbridge.Core.Observed;
using Superbridge.Core.Planning;
using Superbridge.Core.Programs;
using Superbridge.Operations;
using Superbridge.Ssh;
using Superbridge.Ssh.Apply;
using Superbridge.Ssh.Audit;
using Superbridge.Ssh.Connections;
using Superbridge.Ssh.Execution;

namespace Superbridge.Web.Tests.Segments.Support;

/// <summary>
/// Hosts h1..hN for the whole dashboard without SSH: each is observed as an empty host able to do IPsec (its paths carry
/// the interface MTU), and the real
/// <see cref="PlanExecutor"/> (with the dashboard's key store) sends its programs to a session that audits them through
/// the dashboard's sink, as given, keeps the text as sent (placeholders resolved) and answers every step succeeded.
/// Nothing on the hosts changes, so a verification reports drift; the operations still succeed.
/// </summary>
internal sealed partial class ScriptedHosts(int count) : IHostObserver, IPathProber
{
    private static readonly IpsecFacts Ready = new(Swanctl: true, Xfrm: true, CharonRunning: true) { Kernel = EspKernelSupport.Complete };
    private static readonly KernelFeatures Every = new(true, true, true, true, true, true);

    /// <summary>Every program text as it reached a host.</summary>
    public ConcurrentQueue<string> Sent { get; } = new();

    private IEnumerable<HostId> Hosts => Enumerable.Range(1, count).Select(n => new HostId($"h{n}"));

    private static HostInfo Info(HostId host) => new()
    {
        Id = host, Address = $"192.0.2.{host.Value[1..]}", Features = Every,
    };

    public Task<HostObservations> ObserveAsync(IReadOnlyCollection<HostId> hosts, OperationContext context, CancellationToken cancellationToken)
    {
        var known = Hosts.ToHashSet();
        var seen = hosts.Where(known.Contains).Distinct().ToImmutableDictionary(h => h, h =>
            new HostObservation(Info(h), new ObservedHost { Hostname = h.ToString(), Features = Every, Ipsec = Ready }));
        var problems = hosts.Where(h => !known.Contains(h)).Select(h => new PreflightProblem(h, $"unknown host {h}")).ToImmutableArray();
        return Task.FromResult(new HostObservations(seen, problems));
    }

    /// <summary>Every path carries what its interface sends.</summary>
    public Task<PathProbes> ProbeAsync(IReadOnlyCollection<UnderlayPath> paths, OperationContext context, CancellationToken cancellationToken) =>
        Task.FromResult(new PathProbes([.. paths.Select(p => new PathProbeResult(p, p.InterfaceMtu, null))], []));

    /// <summary>The dashboard's executor: the real one over these hosts' sessions.</summary>
    public IPlanExecutor Executor(IKeyStore keys, IAuditSink audit, TimeProvider time) => new SessionExecutor(
        new PlanExecutor(time, keys), Hosts.ToDictionary(h => h, h => (IHostSession)new Session(h, audit, Sent, time)));

    private sealed class SessionExecutor(PlanExecutor executor, IReadOnlyDictionary<HostId, IHostSession> sessions) : IPlanExecutor
    {
        public Task<PlanExecution> ExecuteAsync(SegmentPlan plan, HostLease lease, OperationContext context, Func<ApplyEvent, ValueTask> onEvent,
            ApplyOptions options, CancellationToken cancellationToken) =>
            executor.ExecuteAsync(plan, sessions, lease, onEvent, options, cancellationToken, context);
    }

    private sealed class Session(HostId host, IAuditSink audit, ConcurrentQueue<string> sent, TimeProvider time) : IHostSession
    {
        public HostId HostId => host;
        public HostEndpoint Endpoint { get; } = new($"192.0.2.{host.Value[1..]}", 22, "root", useSudo: false);
        public HostKeyInfo HostKey { get; } = new("ssh-ed25519", 256, HostKeyFingerprint.Parse("SHA256:" + new string('A', 43)));
        public long ConnectionId => 1;
        public bool IsConnected => true;

        public Task<CommandResult> RunAsync(Command command, RunOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("plans run as programs");

        public async Task<CommandResult> RunScriptAsync(string script, ScriptDelivery delivery = ScriptDelivery.StandardInput,
            RunOptions? options = null, CancellationToken cancellationToken = default)
        {
            sent.Enqueue(options?.SecretValues is { } keys ? SecretPlaceholders.Resolve(script, keys) : script);
            var output = new List<string>();
            foreach (Match step in StepComment().Matches(script))
                output.Add($"SBSTEP {step.Groups[1].Value} {ProgramMarkers.EncodeId(step.Groups[2].Value)} {ProgramMarkers.Word(MarkerOutcome.Succeeded)} 0 0 - -");
            output.Add("SBEND 0");
            foreach (var line in output)
                if (options?.OnOutputLine is { } onLine) await onLine(line);
            await audit.RecordAsync(new AuditEntry
            {
                HostId = host, Endpoint = Endpoint, StartTime = time.GetUtcNow(), Argv = ["sh", "-s"], CommandLine = "sh -s", Script = script,
                Outcome = AuditOutcome.Exited, ExitCode = 0, StandardOutput = string.Join('\n', output), Duration = TimeSpan.Zero, Tag = options?.Audit,
            }, CancellationToken.None);
            var now = time.GetUtcNow();
            return new CommandResult
            {
                ExitCode = 0, StandardOutput = string.Join('\n', output) + "\n", StandardError = "", StartTime = now, ExitTime = now,
                RunTime = TimeSpan.Zero, CommandLine = "sh -s",
            };
        }
    }

    /// <summary>HostProgram's comment before each step: <c># index id: description</c>.</summary>
    [GeneratedRegex(@"\n\t# (\d+) (\S+): ")]
    private static partial Regex StepComment();
}
