using System.Collections.Concurrent;
using Superbridge.Core.Model;
using Superbridge.Ssh;
using Superbridge.Ssh.Audit;
using Superbridge.Ssh.Inventory;
using Superbridge.Web.Hosts;
using Superbridge.Web.Inventory;

namespace Superbridge.Web.Tests.Components.Support;

/// <summary>
/// Answers inventories with what the test set: a result at once, or one the test releases later (<see cref="Hold"/>)
/// to play a slow host. A host with no answer is offline (refused).
/// </summary>
public sealed class FakeHostInventorySource : IHostInventorySource
{
    private readonly ConcurrentDictionary<string, Func<Task<HostInventoryResult>>> _answers = new();

    public ConcurrentQueue<string> Calls { get; } = new();

    public void Answer(HostInventoryResult result) => _answers[result.HostId.Value] = () => Task.FromResult(result);

    public TaskCompletionSource<HostInventoryResult> Hold(string hostId)
    {
        var pending = new TaskCompletionSource<HostInventoryResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        _answers[hostId] = () => pending.Task;
        return pending;
    }

    public Task<HostInventoryResult> RefreshAsync(StoredHost host, IReadOnlyDictionary<string, HostId> hostsByUnderlayAddress, AuditTag audit, CancellationToken cancellationToken)
    {
        Calls.Enqueue(host.Id);
        return _answers.TryGetValue(host.Id, out var answer)
            ? answer().WaitAsync(cancellationToken)
            : Task.FromResult<HostInventoryResult>(Offline(host.Id, SshFailureReason.Refused, $"Connection to {host.Address}:{host.Port} refused."));
    }

    public static HostInventoryResult.Offline Offline(string hostId, SshFailureReason reason, string message) => new()
    {
        HostId = new HostId(hostId),
        Duration = TimeSpan.FromMilliseconds(12),
        Failure = new SshFailure(reason, message),
    };
}
