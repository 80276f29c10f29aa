namespace Superbridge.Operations;

/// <summary>
/// The pre-shared keys of encrypted segments, by name (<c>Core.Commands.SecretPlaceholders</c>). A key asked for the
/// first time is created from a CSPRNG and kept, so both ends of a link, and every later apply, get the same one.
/// Values are what swanctl reads: <c>0s</c> and the key's base64.
/// <para>
/// A rotation stages a new key beside the old one (under <c>SecretPlaceholders.Staged(name)</c>), so a rollback can
/// write the old one back; it becomes the key only once the rotation succeeded.
/// </para>
/// </summary>
public interface IKeyStore
{
    Task<IReadOnlyDictionary<string, string>> GetOrCreateAsync(IReadOnlyCollection<string> names, CancellationToken cancellationToken);

    /// <summary>A new key from a CSPRNG is staged for <paramref name="name"/>, replacing one a rotation left staged.</summary>
    Task StageAsync(string name, CancellationToken cancellationToken);

    /// <summary>The staged key becomes the key of <paramref name="name"/>; the old one is forgotten.</summary>
    Task PromoteAsync(string name, CancellationToken cancellationToken);

    /// <summary>The staged key is forgotten; the old one stays the key.</summary>
    Task DiscardAsync(string name, CancellationToken cancellationToken);
}
