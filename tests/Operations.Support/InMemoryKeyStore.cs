using System.Collections.Concurrent;
using System.Security.Cryptography;
using Superbridge.Core.Commands;

namespace Superbridge.Operations.Support;

/// <summary>IPsec keys for tests: 32 random bytes per name from the OS CSPRNG, kept in memory, in swanctl's 0s form.</summary>
public sealed class InMemoryKeyStore : IKeyStore
{
    private readonly ConcurrentDictionary<string, string> _keys = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, string> Keys => _keys;

    public Task<IReadOnlyDictionary<string, string>> GetOrCreateAsync(IReadOnlyCollection<string> names, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, string>>(names.Distinct(StringComparer.Ordinal).ToDictionary(
            n => n, n => _keys.GetOrAdd(n, _ => NewKey()), StringComparer.Ordinal));

    public Task StageAsync(string name, CancellationToken cancellationToken)
    {
        _keys[SecretPlaceholders.Staged(name)] = NewKey();
        return Task.CompletedTask;
    }

    public Task PromoteAsync(string name, CancellationToken cancellationToken)
    {
        if (_keys.TryRemove(SecretPlaceholders.Staged(name), out var staged)) _keys[name] = staged;
        return Task.CompletedTask;
    }

    public Task DiscardAsync(string name, CancellationToken cancellationToken)
    {
        _keys.TryRemove(SecretPlaceholders.Staged(name), out _);
        return Task.CompletedTask;
    }

    private static string NewKey() => "0s" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
}
