using Superbridge.Ssh;

namespace Superbridge.Web.Hosts;

/// <summary>What the Add-host dialog and the Hosts page ask of <see cref="HostRegistrationService"/>; faked in component tests.</summary>
public interface IHostRegistrar
{
    /// <summary>The key the host presents, or why it could not be read.</summary>
    Task<(HostKeyInfo? Key, SshFailure? Failure)> ProbeAsync(string address, int port, CancellationToken cancellationToken = default);

    Task<HostRegistration> AddAsync(AddHostRequest request, CancellationToken cancellationToken = default);

    Task<HostRemoval> RemoveAsync(string id, CancellationToken cancellationToken = default);
}

/// <summary>The real registrar: <see cref="HostRegistrationService"/> as is.</summary>
public sealed class HostRegistrar(HostRegistrationService registration) : IHostRegistrar
{
    public Task<(HostKeyInfo? Key, SshFailure? Failure)> ProbeAsync(string address, int port, CancellationToken cancellationToken = default) =>
        registration.ProbeAsync(address, port, cancellationToken);

    public Task<HostRegistration> AddAsync(AddHostRequest request, CancellationToken cancellationToken = default) =>
        registration.AddAsync(request, cancellationToken);

    public Task<HostRemoval> RemoveAsync(string id, CancellationToken cancellationToken = default) =>
        registration.RemoveAsync(id, cancellationToken);
}
