using Superbridge.Operations;

namespace Superbridge.Web.Segments;

/// <summary>
/// On start, operations a previous process left queued or running become interrupted (the segment shows what to do);
/// on a graceful stop, running operations are waited for (up to the host's shutdown timeout) so they end recorded.
/// </summary>
public sealed class OperationLifetime(SegmentService segments, ILogger<OperationLifetime> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var operation in await segments.RecoverAsync(cancellationToken))
            logger.LogWarning("Operation {Id} ({Kind} of {Segment}) was left unfinished by a previous process and is now interrupted",
                operation.Id, operation.Kind, operation.SegmentId);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await segments.DrainAsync().WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            logger.LogWarning("Stopped with operations still running; they will show as interrupted on the next start");
        }
    }
}
