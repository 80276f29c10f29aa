using System.Collections.Concurrent;
using System.Threading.Channels;
using Superbridge.Core.Model;
using Superbridge.Operations;
using Superbridge.Ssh.Apply;
using Superbridge.Web.Topology;

namespace Superbridge.Web.Tests.Topology.Support;

/// <summary>Records what was asked and plays the events the test writes to <see cref="Events"/>, like a live operation.</summary>
public sealed class FakeSegmentRunner : ISegmentRunner
{
    public Channel<ApplyEvent> Events { get; } = Channel.CreateUnbounded<ApplyEvent>();
    public ConcurrentQueue<(SegmentSpec Spec, string User)> Applied { get; } = new();
    public ConcurrentQueue<(string Segment, string User)> AppliedStored { get; } = new();
    public ConcurrentQueue<(string Segment, string User)> TornDown { get; } = new();
    public ConcurrentQueue<(string Segment, Superbridge.Core.Planning.IpsecPair Pair, string User)> Rotated { get; } = new();

    /// <summary>Whether each apply asked to create a new segment, and the plan fingerprint each run sent, in order.</summary>
    public ConcurrentQueue<bool> Creates { get; } = new();
    public ConcurrentQueue<string?> Fingerprints { get; } = new();

    public IAsyncEnumerable<ApplyEvent> ApplyAsync(SegmentSpec desired, bool create, string? planFingerprint, string user, CancellationToken cancellationToken = default)
    {
        Applied.Enqueue((desired, user));
        Creates.Enqueue(create);
        Fingerprints.Enqueue(planFingerprint);
        return Events.Reader.ReadAllAsync(cancellationToken);
    }

    public IAsyncEnumerable<ApplyEvent> ApplyStoredAsync(string segment, string? planFingerprint, string user, CancellationToken cancellationToken = default)
    {
        AppliedStored.Enqueue((segment, user));
        Fingerprints.Enqueue(planFingerprint);
        return Events.Reader.ReadAllAsync(cancellationToken);
    }

    public IAsyncEnumerable<ApplyEvent> RotateKeyAsync(string segment, Superbridge.Core.Planning.IpsecPair pair, string? planFingerprint, string user, CancellationToken cancellationToken = default)
    {
        Rotated.Enqueue((segment, pair, user));
        Fingerprints.Enqueue(planFingerprint);
        return Events.Reader.ReadAllAsync(cancellationToken);
    }

    public IAsyncEnumerable<ApplyEvent> TeardownAsync(string segment, string? planFingerprint, string user, CancellationToken cancellationToken = default)
    {
        TornDown.Enqueue((segment, user));
        Fingerprints.Enqueue(planFingerprint);
        return Events.Reader.ReadAllAsync(cancellationToken);
    }

    public IAsyncEnumerable<ApplyEvent> FollowAsync(long operationId, CancellationToken cancellationToken = default) =>
        Events.Reader.ReadAllAsync(cancellationToken);
}
