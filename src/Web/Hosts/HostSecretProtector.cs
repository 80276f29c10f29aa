using Microsoft.AspNetCore.DataProtection;

namespace Superbridge.Web.Hosts;

/// <summary>Encrypts SSH passwords, keys and passphrases at rest with the dashboard's Data Protection key ring.</summary>
public sealed class HostSecretProtector(IDataProtectionProvider provider)
{
    // The purpose string isolates these ciphertexts from every other use of the key ring.
    private readonly IDataProtector _protector = provider.CreateProtector("Superbridge.HostSecrets.v1");

    public string? Protect(string? secret) => secret is null ? null : _protector.Protect(secret);

    public string? Unprotect(string? protectedSecret) => protectedSecret is null ? null : _protector.Unprotect(protectedSecret);
}
