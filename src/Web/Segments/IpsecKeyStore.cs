using System.Security.Cryptography;
using Dapper;
using Microsoft.AspNetCore.DataProtection;
using Superbridge.Core.Commands;
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
                    var key = NewKey();
                    await connection.ExecuteAsync("INSERT INTO ipsec_keys (name, protected, created_at) VALUES (@name, @value, @now)",
                        new { name, value = _protector.Protect(key), now = Now() });
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

    public Task StageAsync(string name, CancellationToken cancellationToken) => UnderGateAsync(connection => connection.ExecuteAsync(
        "INSERT OR REPLACE INTO ipsec_keys (name, protected, created_at) VALUES (@staged, @value, @now)",
        new { staged = SecretPlaceholders.Staged(name), value = _protector.Protect(NewKey()), now = Now() }), cancellationToken);

    public Task PromoteAsync(string name, CancellationToken cancellationToken) => UnderGateAsync(connection => connection.ExecuteAsync("""
        UPDATE ipsec_keys SET protected = s.protected, created_at = s.created_at
            FROM (SELECT protected, created_at FROM ipsec_keys WHERE name = @staged) AS s WHERE ipsec_keys.name = @name;
        DELETE FROM ipsec_keys WHERE name = @staged;
        """, new { name, staged = SecretPlaceholders.Staged(name) }), cancellationToken);

    public Task DiscardAsync(string name, CancellationToken cancellationToken) => UnderGateAsync(connection => connection.ExecuteAsync(
        "DELETE FROM ipsec_keys WHERE name = @staged", new { staged = SecretPlaceholders.Staged(name) }), cancellationToken);

    private async Task UnderGateAsync(Func<System.Data.Common.DbConnection, Task> work, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await connections.OpenAsync(cancellationToken);
            await work(connection);
        }
        finally
        {
            _gate.Release();
        }
    }

    private static string NewKey() => "0s" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(KeyBytes));

    private string Now() => time.GetUtcNow().ToString("O");
}
