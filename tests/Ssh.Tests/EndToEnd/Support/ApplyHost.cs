using Superbridge.Operations;
using Superbridge.Core.Model;
using Superbridge.Core.Observed;
using Superbridge.Ssh.Connections;

namespace Superbridge.Ssh.Apply;

/// <summary>One host of an operation: how to reach it and what the planner needs to know about it.</summary>
public sealed record ApplyHost(HostTarget Target, HostInfo Info)
{
    public HostId Id => Target.Id;
}

/// <summary>
/// Reads a host's current state (the inventory) through the connection pool, so every command it runs goes through
/// the audit sink. Throws <see cref="HostObservationException"/> when the state cannot be read completely.
/// </summary>
public interface IHostObserver
{
    Task<ObservedHost> ObserveAsync(ApplyHost host, CancellationToken cancellationToken = default);
}

/// <summary>A host's state could not be read (offline, or parts of the inventory failed); the message says what.</summary>
public sealed class HostObservationException(HostId host, string message) : Exception(message)
{
    public HostId Host { get; } = host;
}
