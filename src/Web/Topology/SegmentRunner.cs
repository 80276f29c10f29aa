using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Superbridge.Core.Model;
using Superbridge.Operations;
using Superbridge.Ssh.Apply;
using Superbridge.Web.Segments;
using Superbridge.Web.Validation;

namespace Superbridge.Web.Topology;

/// <summary>Nothing ran: the change was refused before the first command (unknown or unreachable host, Core's validation).</summary>
public sealed record ChangeRefused(DateTimeOffset At, ImmutableArray<string> Reasons) : ApplyEvent(At);

/// <summary>
/// What the dialogs run: store a wanted segment and apply it, or tear one down, as a stream of events for the live
/// log. The last event is <see cref="OperationCompleted"/> or <see cref="ChangeRefused"/>.
/// </summary>
public interface ISegmentRunner
{
    IAsyncEnumerable<ApplyEvent> ApplyAsync(SegmentSpec desired, string user, CancellationToken cancellationToken = default);

    /// <summary>Applies the stored segment as wanted now: its pending changes, or all of it again to restore what went missing.</summary>
    IAsyncEnumerable<ApplyEvent> ApplyStoredAsync(string segment, string user, CancellationToken cancellationToken = default);

    IAsyncEnumerable<ApplyEvent> TeardownAsync(string segment, string user, CancellationToken cancellationToken = default);
}

/// <summary>
/// The real runner: allocates the wanted segment against freshly observed hosts and stores it (like every other
/// change of a segment), then applies it through <see cref="SegmentService"/> with rollback and audit.
/// </summary>
public sealed class SegmentRunner(SegmentService segments, TimeProvider time) : ISegmentRunner
{
    public IAsyncEnumerable<ApplyEvent> ApplyAsync(SegmentSpec desired, string user, CancellationToken cancellationToken = default) =>
        Stream(async (emit, ct) =>
        {
            var stored = await segments.StoreAsync(desired, ct);
            if (stored.Segment is null) return Refused(stored.Errors);
            var outcome = await segments.ApplyAsync(desired.Name, user, emit, ct);
            return outcome.Result is null ? Refused(outcome.Errors) : null;
        }, cancellationToken);

    public IAsyncEnumerable<ApplyEvent> ApplyStoredAsync(string segment, string user, CancellationToken cancellationToken = default) =>
        Stream(async (emit, ct) =>
        {
            var outcome = await segments.ApplyAsync(segment, user, emit, ct);
            if (outcome.NotFound) return Missing(segment);
            return outcome.Result is null ? Refused(outcome.Errors) : null;
        }, cancellationToken);

    public IAsyncEnumerable<ApplyEvent> TeardownAsync(string segment, string user, CancellationToken cancellationToken = default) =>
        Stream(async (emit, ct) =>
        {
            var started = time.GetUtcNow();
            var outcome = await segments.DeleteAsync(segment, user, emit, ct);
            if (outcome.NotFound) return Missing(segment);
            if (outcome.Result is not null) return null;
            if (outcome.Errors.Any) return Refused(outcome.Errors);
            // Never applied: nothing to run on the hosts, the segment is simply forgotten.
            return new OperationCompleted(time.GetUtcNow(), new ApplyResult
            {
                Segment = segment, Operation = SegmentOperationKind.Teardown, Status = ApplyStatus.Succeeded,
                StartedAt = started, FinishedAt = time.GetUtcNow(),
            });
        }, cancellationToken);

    private ChangeRefused Missing(string segment) => new(time.GetUtcNow(), [$"segment {segment} does not exist"]);

    private ChangeRefused Refused(FieldErrors errors) => new(time.GetUtcNow(), errors.Lines());

    /// <summary>
    /// Runs <paramref name="run"/> in the background, passing its events through; a returned event ends the stream.
    /// Cancelling stops the reading only: an operation that started runs to its end (or its rollback) and is audited,
    /// so closing the page never leaves a host half-changed.
    /// </summary>
    private static async IAsyncEnumerable<ApplyEvent> Stream(
        Func<Func<ApplyEvent, CancellationToken, ValueTask>, CancellationToken, Task<ApplyEvent?>> run,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateUnbounded<ApplyEvent>(new UnboundedChannelOptions { SingleReader = true });
        var running = Task.Run(async () =>
        {
            try
            {
                var last = await run((e, _) => channel.Writer.WriteAsync(e, CancellationToken.None), CancellationToken.None);
                if (last is not null) await channel.Writer.WriteAsync(last, CancellationToken.None);
                channel.Writer.Complete();
            }
            catch (Exception e)
            {
                channel.Writer.Complete(e);
            }
        }, CancellationToken.None);
        await foreach (var e in channel.Reader.ReadAllAsync(cancellationToken))
            yield return e;
        await running;
    }
}
