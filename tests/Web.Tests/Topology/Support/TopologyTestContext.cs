using Superbridge.Web.Audit;
using Microsoft.Extensions.DependencyInjection;
using Superbridge.Operations;
using Superbridge.Ssh.Apply;
using Superbridge.Ssh.Connections;
using Superbridge.Ssh.Inventory;
using Superbridge.Web.Inventory;
using Superbridge.Web.Segments;
using Superbridge.Web.Tests.Components.Support;
using Superbridge.Web.Topology;

namespace Superbridge.Web.Tests.Topology.Support;

/// <summary>
/// The shared bUnit context plus the topology services: a <see cref="LeaseWatcher"/> that looks every 10 ms,
/// <see cref="FakeSegmentRunner"/> instead of SSH, and the real <see cref="SegmentService"/> for changes that are only
/// stored (its hosts observed through <see cref="FakeHostInventorySource"/>; no plan ever runs here).
/// </summary>
public abstract class TopologyTestContext : DashboardTestContext
{
    protected TopologyTestContext()
    {
        Services.AddSingleton(sp => new LeaseWatcher(sp.GetRequiredService<HostStatusBoard>(), Time) { Interval = TimeSpan.FromMilliseconds(10) });
        Services.AddSingleton<ISegmentRunner>(Runner);
        Services.AddSingleton<IHostObserver, DashboardHostObserver>();
        Services.AddSingleton(sp => new SegmentService(
            sp.GetRequiredService<SegmentStore>(), sp.GetRequiredService<OperationJournal>(), sp.GetRequiredService<IHostObserver>(),
            new NoHostsExecutor(), new SegmentLocks(), new HostLocks(), new OperationHub(), Time));
    }

    protected FakeSegmentRunner Runner { get; } = new();

    /// <summary>Component tests store changes only; an operation reaching hosts here is a test bug.</summary>
    private sealed class NoHostsExecutor : IPlanExecutor
    {
        public Task<PlanExecution> ExecuteAsync(Core.Planning.SegmentPlan plan, HostLease lease, OperationContext context,
            Func<ApplyEvent, ValueTask> onEvent, ApplyOptions options, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("component tests run no plan on hosts");
    }
    protected SegmentStore Segments => Services.GetRequiredService<SegmentStore>();

    /// <summary>Stores the record's wanted segment and, when it has one, its applied version.</summary>
    protected async Task SaveAsync(SegmentRecord record)
    {
        if (record.Applied is { } applied)
        {
            await Segments.SaveDesiredAsync(applied);
            await Segments.MarkAppliedAsync(applied);
        }
        await Segments.SaveDesiredAsync(record.Desired);
        if (record.Attempted is { } attempted) await Segments.SaveAttemptedAsync(record.Id, attempted);
    }

    /// <summary>h1 = 198.51.100.1 … stored, as <see cref="TopologyFixtures.Known"/> names them.</summary>
    protected async Task AddLabHostsAsync(int count)
    {
        for (var i = 1; i <= count; i++) await AddHostAsync($"h{i}", $"198.51.100.{i}");
    }
}
