using Superbridge.Core.Support;
using System.Collections.Immutable;
using Superbridge.Core.Model;
using Superbridge.Operations.Support;

namespace Superbridge.Operations.Tests.Support;

/// <summary>
/// A <see cref="SegmentService"/> over in-memory stores, a <see cref="FakeHostObserver"/> and a
/// <see cref="FakePlanExecutor"/>, a <see cref="FakePathProber"/>, with fake hosts h1..hN (ip_forward 0, every kernel feature).
/// </summary>
internal sealed class ServiceHarness : IAsyncDisposable
{
    public const string User = "alice";

    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    public ServiceHarness(int hosts = 3, InMemoryOperationJournal? journal = null)
    {
        Time = TimeProvider.System;
        Journal = journal ?? new InMemoryOperationJournal(Time);
        Observer = new FakeHostObserver();
        for (var n = 1; n <= hosts; n++) Observer.Add(n);
        Executor = new FakePlanExecutor(Observer, Time, Keys);
        Prober = new FakePathProber(Observer);
        PathMtus = new PathMtuMeter(Prober, PathClock);
        Service = new SegmentService(Segments, Journal, Observer, Executor, new SegmentLocks(), HostLocks, Hub, Time, keys: Keys, pathMtus: PathMtus);
    }

    public TimeProvider Time { get; }
    public InMemorySegmentRepository Segments { get; } = new();
    public InMemoryKeyStore Keys { get; } = new();
    public InMemoryOperationJournal Journal { get; }
    public FakeHostObserver Observer { get; }
    public FakePlanExecutor Executor { get; }
    public FakePathProber Prober { get; }
    /// <summary>The path meter's clock (measurements expire on it).</summary>
    public ManualClock PathClock { get; } = new(new DateTimeOffset(2026, 12, 2, 16, 0, 0, TimeSpan.Zero));
    public PathMtuMeter PathMtus { get; }
    public HostLocks HostLocks { get; } = new();
    public OperationHub Hub { get; } = new();
    public SegmentService Service { get; }

    /// <summary>A segment over <paramref name="members"/> (a chain of links for point-to-point transports), without a router.</summary>
    public static SegmentSpec Spec(string name, Transport transport, params string[] members) => new()
    {
        Name = name,
        Transport = transport,
        Bridge = "br-" + name,
        Members = [.. members.Select(m => new HostId(m))],
        Links = transport == Transport.Vxlan ? [] : [.. members.Zip(members.Skip(1), (a, b) => new LinkSpec { A = a, B = b })],
    };

    /// <summary>A gateway router on <paramref name="host"/> for 10.<paramref name="net"/>.0.0/24.</summary>
    public static RouterSpec Router(string host, int net) => new()
    {
        Host = host,
        Gateway = $"10.{net}.0.1/24",
        DhcpRange = new DhcpRange($"10.{net}.0.10", $"10.{net}.0.200"),
        Nat = true,
    };

    public async Task<SegmentRecord> CreateAsync(SegmentSpec spec)
    {
        var created = await Service.CreateAsync(spec, User);
        Assert.True(created.IsOk, string.Join("; ", created.Errors));
        return created.Value!;
    }

    /// <summary>Starts an operation and waits for its end.</summary>
    public async Task<OperationRecord> FinishedAsync(Task<Outcome<OperationRecord>> start)
    {
        var started = await start;
        Assert.True(started.IsOk, string.Join("; ", started.Errors));
        return await EndedAsync(started.Value!.Id);
    }

    public async Task<OperationRecord> EndedAsync(long id)
    {
        var ended = await Service.WaitAsync(id, Timeout);
        Assert.NotNull(ended);
        Assert.True(ended.Status.IsFinished(), $"operation {id} still {ended.Status} after {Timeout}");
        return ended;
    }

    public Task<OperationRecord> ApplyAsync(string id, string? fingerprint = null) => FinishedAsync(Service.StartApplyAsync(id, User, fingerprint));

    public Task<OperationRecord> TeardownAsync(string id, string? fingerprint = null) => FinishedAsync(Service.StartTeardownAsync(id, User, fingerprint));

    public async Task<OperationRecord> StartAsync(string id, bool teardown = false)
    {
        var started = teardown ? await Service.StartTeardownAsync(id, User) : await Service.StartApplyAsync(id, User);
        Assert.True(started.IsOk, string.Join("; ", started.Errors));
        return started.Value!;
    }

    public async Task<SegmentRecord> RecordAsync(string id) => (await Segments.FindAsync(id, CancellationToken.None))!;

    /// <summary>The statuses the journal stored for one operation, in order.</summary>
    public ImmutableArray<OperationStatus> HistoryOf(long id) => [.. Journal.History.Where(h => h.Id == id).Select(h => h.Status)];

    public async ValueTask DisposeAsync()
    {
        // Never leave a blocked run behind: stop blocking, release every run that waits, then wait for all to end.
        Executor.Block = false;
        foreach (var run in Executor.Calls) run.Release();
        await Service.DrainAsync().WaitAsync(Timeout);
    }
}
