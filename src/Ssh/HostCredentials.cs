namespace Superbridge.Ssh;

/// <summary>
/// How the dashboard proves itself to a host's sshd. Secrets live here only in memory (storing them
/// encrypted is the web's job); <see cref="ToString"/> never prints them.
/// </summary>
public abstract record HostCredentials
{
    private HostCredentials() { }

    public static HostCredentials FromPassword(string password) => new Password(password);
    public static HostCredentials FromKeyFile(string path, string? passphrase = null) => new KeyFile(path, passphrase);
    public static HostCredentials FromKeyText(string privateKey, string? passphrase = null) => new KeyText(privateKey, passphrase);

    /// <summary>Password authentication.</summary>
    public sealed record Password : HostCredentials
    {
        public Password(string secret)
        {
            ArgumentException.ThrowIfNullOrEmpty(secret);
            Secret = secret;
        }

        public string Secret { get; }
        public override string ToString() => "Password(***)";
    }

    /// <summary>A private key file (OpenSSH or PEM) on the dashboard's machine, with an optional passphrase.</summary>
    public sealed record KeyFile : HostCredentials
    {
        public KeyFile(string path, string? passphrase = null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(path);
            Path = path;
            Passphrase = string.IsNullOrEmpty(passphrase) ? null : passphrase;
        }

        public string Path { get; }
        public string? Passphrase { get; }
        public override string ToString() => $"KeyFile({Path}{(Passphrase is null ? "" : ", passphrase ***")})";
    }

    /// <summary>A pasted private key (OpenSSH or PEM text), with an optional passphrase.</summary>
    public sealed record KeyText : HostCredentials
    {
        public KeyText(string privateKey, string? passphrase = null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(privateKey);
            PrivateKey = privateKey;
            Passphrase = string.IsNullOrEmpty(passphrase) ? null : passphrase;
        }

        public string PrivateKey { get; }
        public string? Passphrase { get; }
        public override string ToString() => $"KeyText(***{(Passphrase is null ? "" : ", passphrase ***")})";
    }
}
