using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace Superbridge.Bench.Web;

/// <summary>
/// Makes the dashboard's runtime run a full blocking GC from outside, as dotnet-gcdump does (an EventPipe session that
/// enables the runtime provider's GCHeapCollect keyword), and reads the size of the GC heap that collection left: the
/// managed memory really held. Without the collection the resident size swings with however much garbage the last
/// gen0 budget held, which at a few MB per browser would drown the figure.
/// </summary>
public static class ServerGarbageCollection
{
    private const long GcKeyword = 0x1;
    private const long GcHeapCollectKeyword = 0x800000;

    /// <summary>Collects and returns the GC heap size after the collection (all generations, large and pinned objects).</summary>
    public static async Task<long> CollectAsync(int processId, TimeSpan timeout)
    {
        var client = new DiagnosticsClient(processId);
        var provider = new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Informational, GcKeyword | GcHeapCollectKeyword);
        using var session = await client.StartEventPipeSessionAsync([provider], requestRundown: false, circularBufferMB: 16, CancellationToken.None);
        using var source = new EventPipeEventSource(session.EventStream);
        var induced = false;
        var heap = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        source.Clr.GCStart += e => induced |= e.Reason == GCReason.Induced;
        // Heap statistics follow every GC; the first after the induced one started is that collection's.
        source.Clr.GCHeapStats += e =>
        {
            if (induced) heap.TrySetResult(e.GenerationSize0 + e.GenerationSize1 + e.GenerationSize2 + e.GenerationSize3 + e.GenerationSize4);
        };
        var processing = Task.Run(source.Process);
        try
        {
            return await heap.Task.WaitAsync(timeout);
        }
        finally
        {
            await session.StopAsync(CancellationToken.None);
            await processing;
        }
    }
}
