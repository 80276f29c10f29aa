using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Superbridge.Core.Model;
using Superbridge.Core.Planning;
using Superbridge.Operations;
using Superbridge.Web.Topology;

namespace Superbridge.Web.Topology;

/// <summary>Nothing ran: the change was refused before the first command (unknown or unreachable host, Core's validation).</summary>
public sealed record ChangeRefused(DateTimeOffset At, ImmutableArray<string> Reasons) : ApplyEvent(At);

/// <summary>
/// What the dialogs run, as the stream of events for the live log: store a wanted segment (a new one, or a change of
/// one) and apply it, apply a stored one, or tear one down. Each sends the fingerprint of the plan the dialog showed,
/// so only that plan runs. The last event is <see cref="OperationCompleted"/> or <see cref="ChangeRefused"/>.
/// </summary>
public interface ISegmentRunner
{
    /// <param name="create">A new segment (a taken name is refused), or a change of the stored one of that name.</param>
    IAsyncEnumerable<ApplyEvent> ApplyAsync(SegmentSpec desired, bool create, string? planFingerprint, string user, CancellationToken cancellationToken = default);

    /// <summary>Applies the stored segment as wanted now: its pending changes, or all of it again to restore what went missing.</summary>
    IAsyncEnumerable<ApplyEvent> ApplyStoredAsync(string segment, string? planFingerprint, string user, CancellationToken cancellationToken = default);

    IAsyncEnumerable<ApplyEvent> TeardownAsync(string segment, string? planFingerprint, string user, CancellationToken cancellationToken = default);

    /// <summary>Gives the IPsec pair of two hosts of the applied segment a new key (see <see cref="SegmentService.StartKeyRotationAsync"/>).</summary>
    IAsyncEnumerable<ApplyEvent> RotateKeyAsync(string segment, IpsecPair pair, string? planFingerprint, string user, CancellationToken cancellationToken = default);

    /// <summary>An operation's events from its start, then live (a page opened while it runs).</summary>
    IAsyncEnumerable<ApplyEvent> FollowAsync(long operationId, CancellationToken cancellationToken = default);
}

/// <summary>
/// The real runner, over <see cref="SegmentService"/>. Stopping to read (closing the dialog) never stops the
/// operation: it runs to its end (or its rollback) in the background and is recorded.
/// </summary>
public sealed class SegmentRunner(SegmentService segments, TimeProvider time) : ISegmentRunner
{
    public async IAsyncEnumerable<ApplyEvent> ApplyAsync(
        SegmentSpec desired, bool create, string? planFingerprint, string user, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var stored = create
            ? await segments.CreateAsync(desired, user, CancellationToken.None)
            : await segments.ChangeAsync(desired.Name, desired, user, CancellationToken.None);
        if (stored.Value is null)
        {
            yield return Refused(stored.NotFound ? [$"segment {desired.Name} does not exist"] : [.. stored.Errors.Select(e => e.ToString())]);
            yield break;
        }
        await foreach (var e in ApplyStoredAsync(desired.Name, planFingerprint, user, cancellationToken))
            yield return e;
    }

    public IAsyncEnumerable<ApplyEvent> ApplyStoredAsync(string segment, string? planFingerprint, string user, CancellationToken cancellationToken = default) =>
        Run(segment, () => segments.StartApplyAsync(segment, user, planFingerprint, CancellationToken.None), cancellationToken);

    public IAsyncEnumerable<ApplyEvent> TeardownAsync(string segment, string? planFingerprint, string user, CancellationToken cancellationToken = default) =>
        Run(segment, () => segments.StartTeardownAsync(segment, user, planFingerprint, CancellationToken.None), cancellationToken);

    public IAsyncEnumerable<ApplyEvent> RotateKeyAsync(string segment, IpsecPair pair, string? planFingerprint, string user, CancellationToken cancellationToken = default) =>
        Run(segment, () => segments.StartKeyRotationAsync(segment, pair.A, pair.B, user, planFingerprint, CancellationToken.None), cancellationToken);

    public IAsyncEnumerable<ApplyEvent> FollowAsync(long operationId, CancellationToken cancellationToken = default) =>
        segments.EventsAsync(operationId, cancellationToken);

    private async IAsyncEnumerable<ApplyEvent> Run(
        string segment, Func<Task<Outcome<OperationRecord>>> start, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var started = await start();
        if (started.Value is not { } operation)
        {
            yield return Refused(started.NotFound ? [$"segment {segment} does not exist"] : [.. started.Errors.Select(e => e.ToString())]);
            yield break;
        }
        await foreach (var e in segments.EventsAsync(operation.Id, cancellationToken))
            yield return e;
    }

    private ChangeRefused Refused(ImmutableArray<string> reasons) => new(time.GetUtcNow(), reasons);
}
