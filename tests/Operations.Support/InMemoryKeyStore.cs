using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Superbridge.Operations.Support;

/// <summary>IPsec keys for tests: 32 random bytes per name from the OS CSPRNG, kept in memory, in swanctl's 0s form.</summary>
public sealed class InMemoryKeyStore : IKeyStore
{
    private readonly ConcurrentDictionary<string, string> _keys = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, string> Keys => _keys;

    public Task<IReadOnlyDictionary<string, string>> GetOrCreateAsync(IReadOnlyCollection<string> names, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, string>>(names.Distinct(StringComparer.Ordinal).ToDictionary(
            n => n, n => _keys.GetOrAdd(n, _ => "0s" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))), StringComparer.Ordinal));
}
