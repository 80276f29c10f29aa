using Microsoft.Extensions.DependencyInjection;
using Superbridge.Web.Inventory;
using Superbridge.Web.Segments;
using Superbridge.Web.Tests.Components.Support;
using Superbridge.Web.Topology;

namespace Superbridge.Web.Tests.Topology.Support;

/// <summary>
/// The shared bUnit context plus the topology services: a <see cref="LeaseWatcher"/> that looks every 10 ms, and <see cref="FakeSegmentRunner"/> instead of SSH.
/// </summary>
public abstract class TopologyTestContext : DashboardTestContext
{
    protected TopologyTestContext()
    {
        Services.AddSingleton(sp => new LeaseWatcher(sp.GetRequiredService<HostStatusBoard>(), Time) { Interval = TimeSpan.FromMilliseconds(10) });
        Services.AddSingleton<ISegmentRunner>(Runner);
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
