namespace Superbridge.Operations;

/// <summary>
/// The pre-shared keys of encrypted segments, by name (<c>Core.Commands.SecretPlaceholders</c>). A key asked for the
/// first time is created from a CSPRNG and kept, so both ends of a link, and every later apply, get the same one.
/// Values are what swanctl reads: <c>0s</c> and the key's base64.
/// </summary>
public interface IKeyStore
{
    Task<IReadOnlyDictionary<string, string>> GetOrCreateAsync(IReadOnlyCollection<string> names, CancellationToken cancellationToken);
}
