using System.Collections.Concurrent;
using Superbridge.Ssh;
using Superbridge.Web.Hosts;
using Superbridge.Web.Validation;

namespace Superbridge.Web.Tests.Components.Support;

/// <summary>
/// Probes answer <see cref="ProbeAnswer"/>; adds answer <see cref="AddAnswer"/> (default: stores the host in
/// <see cref="Store"/> like the real one after a successful login). Every request is kept.
/// </summary>
public sealed class FakeHostRegistrar(HostStore store) : IHostRegistrar
{
    public const string Fingerprint = "SHA256:uOzMFkp6Tq1BXgxUyFc+DHqk1ZuXvxgQMwFBiJ0WJEY";

    public HostStore Store { get; } = store;
    public (HostKeyInfo? Key, SshFailure? Failure) ProbeAnswer { get; set; } =
        (new HostKeyInfo("ssh-ed25519", 256, HostKeyFingerprint.Parse(Fingerprint)), null);
    public Func<AddHostRequest, HostRegistration>? AddAnswer { get; set; }
    public ConcurrentQueue<(string Address, int Port)> Probes { get; } = new();
    public ConcurrentQueue<AddHostRequest> Requests { get; } = new();
    public ConcurrentQueue<string> Removed { get; } = new();

    public Task<(HostKeyInfo? Key, SshFailure? Failure)> ProbeAsync(string address, int port, CancellationToken cancellationToken = default)
    {
        Probes.Enqueue((address, port));
        return Task.FromResult(ProbeAnswer);
    }

    public async Task<HostRegistration> AddAsync(AddHostRequest request, CancellationToken cancellationToken = default)
    {
        Requests.Enqueue(request);
        if (AddAnswer is not null) return AddAnswer(request);
        var host = new StoredHost
        {
            Id = request.Name!,
            Name = request.Name!,
            Address = request.Address!,
            Port = request.Port ?? 22,
            Username = request.Username!,
            Authentication = HostAuthenticationKind.KeyPath,
            PrivateKeyPath = request.PrivateKeyPath,
            UseSudo = request.UseSudo,
            HostKeyFingerprint = request.HostKey == AddHostRequest.TrustOnFirstUse ? Fingerprint : request.HostKey!,
            CreatedAt = FixedTimeProvider.Start,
        };
        await Store.AddAsync(host, cancellationToken);
        return new HostRegistration(host, new FieldErrors());
    }

    public async Task<HostRemoval> RemoveAsync(string id, CancellationToken cancellationToken = default)
    {
        Removed.Enqueue(id);
        return await Store.DeleteAsync(id, cancellationToken) ? HostRemoval.Done : HostRemoval.Missing;
    }

    public static HostRegistration Failed(params (string Field, string Message)[] errors)
    {
        var fieldErrors = new FieldErrors();
        foreach (var (field, message) in errors) fieldErrors.Add(field, message);
        return new HostRegistration(null, fieldErrors);
    }
}
