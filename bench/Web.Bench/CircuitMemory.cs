using Microsoft.Playwright;
using Superbridge.Dashboard;

namespace Superbridge.Bench.Web;

/// <summary>The dashboard's resident size and GC heap with <see cref="Pages"/> topology pages open (besides the warm-up page).</summary>
public sealed record MemoryReading(int Pages, long ResidentBytes, long GcHeapBytes);

/// <summary>
/// Server memory per connected browser: topology pages are opened and kept open (each its own context, so its own
/// circuit) in steps up to each count, and after a forced full GC the dashboard's RSS and GC heap size are read. Pages
/// stay open to the end because a closed page's circuit is not freed at once: Blazor retains disconnected circuits for
/// minutes, which would blur any figure taken after closing. One warm-up page, opened first and left open, is in every reading
/// including the baseline, so JIT and first-use caches are not charged to the first measured circuit.
/// </summary>
public static class CircuitMemory
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(3);

    public static async Task<IReadOnlyList<MemoryReading>> MeasureAsync(
        DashboardProcess dashboard, SignedInBrowser browser, int hosts, int tunnels, IReadOnlyList<int> pageCounts, TimeSpan timeout)
    {
        var open = new List<IPage>();
        try
        {
            open.Add(await OpenAsync(browser, hosts, tunnels, timeout));
            await TopologyPageVisit.WaitAllRefreshedAsync(open[0], hosts, timeout);
            // Discarded: the first diagnostics session and forced GC leave runtime state of their own behind.
            await ReadAsync(dashboard, 0, timeout);
            var readings = new List<MemoryReading> { await ReadAsync(dashboard, 0, timeout) };
            foreach (var count in pageCounts.Order())
            {
                while (open.Count - 1 < count) open.Add(await OpenAsync(browser, hosts, tunnels, timeout));
                readings.Add(await ReadAsync(dashboard, count, timeout));
            }
            return readings;
        }
        finally
        {
            foreach (var page in open) await page.Context.CloseAsync();
        }
    }

    private static async Task<IPage> OpenAsync(SignedInBrowser browser, int hosts, int tunnels, TimeSpan timeout)
    {
        var page = await browser.NewPageAsync();
        await TopologyPageVisit.OpenAsync(page, hosts, tunnels, timeout);
        // Close the picker the visit opened, leaving the page as a user who just looked at it would.
        await page.Keyboard.PressAsync("Escape");
        return page;
    }

    /// <summary>After the circuits settled: a full GC, its heap size, and the median of three RSS reads a second apart.</summary>
    private static async Task<MemoryReading> ReadAsync(DashboardProcess dashboard, int pages, TimeSpan timeout)
    {
        await Task.Delay(Settle);
        var heap = await ServerGarbageCollection.CollectAsync(dashboard.ProcessId, timeout);
        var reads = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            reads.Add(dashboard.ResidentBytes());
        }
        reads.Sort();
        return new MemoryReading(pages, reads[1], heap);
    }
}
