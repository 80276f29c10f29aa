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
/// stored (its hosts observed through <see cref="FakeHostInventorySource"/>; its applier is never reached here).
/// </summary>
public abstract class TopologyTestContext : DashboardTestContext
{
    protected TopologyTestContext()
    {
        Services.AddSingleton(sp => new LeaseWatcher(sp.GetRequiredService<HostStatusBoard>(), Time) { Interval = TimeSpan.FromMilliseconds(10) });
        Services.AddSingleton<ISegmentRunner>(Runner);
        Services.AddSingleton(_ => SshConnectionPool.Create(timeProvider: Time));
        Services.AddSingleton(sp => new HostInventoryService(sp.GetRequiredService<SshConnectionPool>(), Time));
        Services.AddSingleton<IHostObserver, InventoryHostObserver>();
        Services.AddSingleton<HostLocks>();
        Services.AddSingleton(sp => new SegmentApplier(
            sp.GetRequiredService<SshConnectionPool>(), sp.GetRequiredService<IHostObserver>(), sp.GetRequiredService<HostLocks>(), Time));
        Services.AddSingleton<SegmentHostObserver>();
        Services.AddSingleton<SegmentService>();
    }

    protected FakeSegmentRunner Runner { get; } = new();
    protected SegmentStore Segments => Services.GetRequiredService<SegmentStore>();

    /// <summary>Stores the record's wanted segment and, when it has one, its applied version.</summary>
    protected async Task SaveAsync(SegmentRecord record)
    {
        if (record.Applied is { } applied)
        {
            await Segments.SaveAsync(applied);
            await Segments.MarkAppliedAsync(applied);
        }
        await Segments.SaveAsync(record.Desired);
    }

    /// <summary>h1 = 198.51.100.1 … stored, as <see cref="TopologyFixtures.Known"/> names them.</summary>
    protected async Task AddLabHostsAsync(int count)
    {
        for (var i = 1; i <= count; i++) await AddHostAsync($"h{i}", $"198.51.100.{i}");
    }
}
