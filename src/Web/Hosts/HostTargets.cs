using Superbridge.Core.Model;
using Superbridge.Ssh;
using Superbridge.Ssh.Connections;

namespace Superbridge.Web.Hosts;

/// <summary>Turns a stored host into what the SSH layer connects to, always with its pinned key.</summary>
public static class HostTargets
{
    public static HostTarget ToTarget(this StoredHost host) => new(
        new HostId(host.Id),
        new HostEndpoint(host.Address, host.Port, host.Username, host.UseSudo),
        Credentials(host.Authentication, host.PrivateKeyPath, host.Secret, host.Passphrase),
        HostKeyPolicy.Pin(host.HostKeyFingerprint));

    public static HostCredentials Credentials(HostAuthenticationKind kind, string? keyPath, string? secret, string? passphrase) => kind switch
    {
        HostAuthenticationKind.KeyPath => HostCredentials.FromKeyFile(keyPath!, passphrase),
        HostAuthenticationKind.Key => HostCredentials.FromKeyText(secret!, passphrase),
        HostAuthenticationKind.Password => HostCredentials.FromPassword(secret!),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
