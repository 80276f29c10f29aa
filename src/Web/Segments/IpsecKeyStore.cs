using System.Security.Cryptography;
using Dapper;
using Microsoft.AspNetCore.DataProtection;
using Superbridge.Operations;
using Superbridge.Web.Storage;

namespace Superbridge.Web.Segments;

/// <summary>
/// IPsec pre-shared keys: 32 bytes from the OS CSPRNG per link, kept encrypted with the dashboard's Data Protection key
/// ring (their own purpose, apart from SSH secrets) in the ipsec_keys table. A key leaves this class only for the
/// executor, which puts it in the program it sends; plans, previews, the audit and API answers hold placeholders.
/// </summary>
public sealed class IpsecKeyStore(SqliteConnectionFactory connections, IDataProtectionProvider protection, TimeProvider time) : IKeyStore
{
    private const int KeyBytes = 32;
    private readonly IDataProtector _protector = protection.CreateProtector("Superbridge.IpsecKeys.v1");
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<IReadOnlyDictionary<string, string>> GetOrCreateAsync(IReadOnlyCollection<string> names, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(names);
        // One creator at a time, so two hosts' programs asking for a new link's key at once get the same one.
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await connections.OpenAsync(cancellationToken);
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var name in names.Distinct(StringComparer.Ordinal))
            {
                var stored = await connection.QuerySingleOrDefaultAsync<string>(
                    "SELECT protected FROM ipsec_keys WHERE name = @name", new { name });
                if (stored is null)
                {
                    var key = "0s" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(KeyBytes));
                    await connection.ExecuteAsync("INSERT INTO ipsec_keys (name, protected, created_at) VALUES (@name, @value, @now)",
                        new { name, value = _protector.Protect(key), now = time.GetUtcNow().ToString("O") });
                    result[name] = key;
                }
                else
                {
                    result[name] = _protector.Unprotect(stored);
                }
            }
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }
}
