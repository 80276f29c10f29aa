using Superbridge.Core.Model;
using Superbridge.Ssh.Apply;
using Superbridge.Ssh.Connections;

namespace Superbridge.Ssh.Tests.EndToEnd;

/// <summary>One lab host of an operation: how to reach it and what the planner needs to know about it.</summary>
public sealed record ApplyHost(HostTarget Target, HostInfo Info)
{
    public HostId Id => Target.Id;
}

/// <summary>The executor's way to the lab hosts given to a test.</summary>
public sealed class LabHostTargets(IReadOnlyCollection<ApplyHost> hosts) : IHostTargetSource
{
    public Task<HostTarget?> FindAsync(HostId host, CancellationToken cancellationToken) =>
        Task.FromResult(hosts.FirstOrDefault(h => h.Id == host)?.Target);
}
