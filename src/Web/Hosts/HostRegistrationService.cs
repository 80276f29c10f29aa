using Superbridge.Operations;
using Superbridge.Core.Model;
using Superbridge.Ssh;
using Superbridge.Ssh.Connections;
using Superbridge.Web.Validation;

namespace Superbridge.Web.Hosts;

/// <summary>
/// Adds a host: validates the request, reads the host key, logs in with the given credentials under the
/// key the operator confirmed (or trust-on-first-use, by explicit choice), and only then stores it.
/// </summary>
public sealed class HostRegistrationService(HostStore store, SshConnectionPool pool, SegmentService segments, TimeProvider time)
{
    /// <summary>Step one of the dialog: the key the host presents, for the operator to compare with <c>ssh-keygen -lf</c> on the host.</summary>
    public async Task<(HostKeyInfo? Key, SshFailure? Failure)> ProbeAsync(string address, int port, CancellationToken cancellationToken = default)
    {
        try
        {
            return (await pool.Connector.ProbeHostKeyAsync(HostEndpoint.Root(address, port), cancellationToken), null);
        }
        catch (SshFailureException e)
        {
            return (null, e.Failure);
        }
    }

    public async Task<HostRegistration> AddAsync(AddHostRequest request, CancellationToken cancellationToken = default)
    {
        var errors = AddHostRequestValidator.Validate(request);
        if (errors.Any)
        {
            return new HostRegistration(null, errors);
        }
        var id = request.Name!;
        if (await store.FindAsync(id, cancellationToken) is not null)
        {
            errors.Add("name", $"a host named '{id}' already exists");
            return new HostRegistration(null, errors);
        }

        var kind = !string.IsNullOrEmpty(request.PrivateKeyPath) ? HostAuthenticationKind.KeyPath
            : !string.IsNullOrEmpty(request.PrivateKey) ? HostAuthenticationKind.Key
            : HostAuthenticationKind.Password;
        var secret = kind switch { HostAuthenticationKind.Key => request.PrivateKey, HostAuthenticationKind.Password => request.Password, _ => null };
        var policy = request.HostKey == AddHostRequest.TrustOnFirstUse ? HostKeyPolicy.TrustOnFirstUse : HostKeyPolicy.Pin(request.HostKey!);
        var target = new HostTarget(
            new HostId(id),
            new HostEndpoint(request.Address!, request.Port ?? 22, request.Username!, request.UseSudo),
            HostTargets.Credentials(kind, request.PrivateKeyPath, secret, request.Passphrase),
            policy);

        var status = await pool.CheckAsync(target, cancellationToken);
        if (status.Failure is { } failure)
        {
            await pool.RemoveAsync(target.Id);
            errors.Add(FieldOf(failure.Reason), failure.Message);
            return new HostRegistration(null, errors);
        }

        var host = new StoredHost
        {
            Id = id,
            Name = id,
            Address = request.Address!,
            Port = request.Port ?? 22,
            Username = request.Username!,
            Authentication = kind,
            PrivateKeyPath = request.PrivateKeyPath,
            Secret = secret,
            Passphrase = string.IsNullOrEmpty(request.Passphrase) ? null : request.Passphrase,
            UseSudo = request.UseSudo,
            HostKeyFingerprint = status.HostKey!.Fingerprint.Value,
            LxcPath = request.LxcPath,
            TunnelAddress = HostAddressRules.Normalize(request.TunnelAddress),
            PeerAddress = HostAddressRules.Normalize(request.PeerAddress),
            CreatedAt = time.GetUtcNow(),
        };
        await store.AddAsync(host, cancellationToken);
        return new HostRegistration(host, errors);
    }

    /// <summary>Forgets a host, unless a segment names it (in any version) or an operation holds it.</summary>
    public async Task<HostRemoval> RemoveAsync(string id, CancellationToken cancellationToken = default)
    {
        if (await store.FindAsync(id, cancellationToken) is null) return HostRemoval.Missing;
        var used = await segments.SegmentsUsingAsync(new HostId(id), cancellationToken);
        var busy = segments.IsBusy(new HostId(id));
        if (!used.IsEmpty || busy) return new HostRemoval(false, false, used, busy);
        await pool.RemoveAsync(new HostId(id));
        return await store.DeleteAsync(id, cancellationToken) ? HostRemoval.Done : HostRemoval.Missing;
    }

    /// <summary>Which field of the request a connection failure points at.</summary>
    private static string FieldOf(SshFailureReason reason) => reason switch
    {
        SshFailureReason.HostKeyChanged or SshFailureReason.HostKeyUnconfirmed => "hostKey",
        SshFailureReason.AuthFailed => "credentials",
        SshFailureReason.SudoNeedsPassword => "useSudo",
        _ => "address",
    };
}
