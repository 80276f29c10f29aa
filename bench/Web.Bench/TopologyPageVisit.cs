using System.Diagnostics;
using Microsoft.Playwright;

namespace Superbridge.Bench.Web;

/// <summary>Milliseconds from the start of navigation: first byte of the page, canvas drawn, picker answered.</summary>
public sealed record TopologyPageTimes(double FirstByteMs, double DrawnMs, double InteractiveMs);

/// <summary>
/// Opens /topology and waits until a user could work with it. "Drawn": the Blazor circuit rendered the canvas (it is
/// not prerendered) with every host node and every tunnel's path in the diagram's SVG layer. "Interactive": then the
/// From picker, clicked, opens listing every host, which takes a round trip over the circuit. At least one host is
/// needed: with none the picker has nothing to list, and the empty-state panel is already in the prerendered HTML, so
/// nothing would show that the circuit is up.
/// </summary>
public static class TopologyPageVisit
{
    private const string DrawnCondition = """
        ([hosts, tunnels]) => {
            if (document.querySelectorAll('.diagram-node').length !== hosts) return false;
            const drawn = document.querySelectorAll('.diagram-svg-layer [data-tunnel] > path[d]');
            return drawn.length === tunnels;
        }
        """;

    public static async Task<TopologyPageTimes> OpenAsync(IPage page, int hosts, int tunnels, TimeSpan timeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(hosts, 1);
        var clock = Stopwatch.StartNew();
        await page.GotoAsync("topology", new PageGotoOptions { WaitUntil = WaitUntilState.Commit, Timeout = (float)timeout.TotalMilliseconds });
        var firstByte = clock.Elapsed.TotalMilliseconds;
        // Polled on every animation frame (Playwright's default), so the time is within a frame of the truth.
        await page.WaitForFunctionAsync(DrawnCondition, new[] { hosts, tunnels }, new PageWaitForFunctionOptions { Timeout = (float)timeout.TotalMilliseconds });
        var drawn = clock.Elapsed.TotalMilliseconds;
        await page.ClickAsync("input[data-field=from]", new PageClickOptions { Timeout = (float)timeout.TotalMilliseconds });
        await page.WaitForFunctionAsync(
            "hosts => { const open = document.querySelector('.mud-popover-open'); return open !== null && open.querySelectorAll('.mud-list-item').length === hosts; }",
            hosts, new PageWaitForFunctionOptions { Timeout = (float)timeout.TotalMilliseconds });
        var interactive = clock.Elapsed.TotalMilliseconds;
        return new TopologyPageTimes(firstByte, drawn, interactive);
    }

    /// <summary>
    /// Waits until no host is unknown or refreshing any more: the first visit after start inventories every host (here
    /// each fails at once on its closed port), and timed visits should see the steady state, not that burst.
    /// </summary>
    public static Task WaitAllRefreshedAsync(IPage page, int hosts, TimeSpan timeout) =>
        page.WaitForFunctionAsync(
            "hosts => document.querySelectorAll('[data-online=offline], [data-online=online]').length === hosts && ![...document.querySelectorAll('.sb-host-meta')].some(m => m.textContent.includes('refreshing'))",
            hosts, new PageWaitForFunctionOptions { Timeout = (float)timeout.TotalMilliseconds });
}
