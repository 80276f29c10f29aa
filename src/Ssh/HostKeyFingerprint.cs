namespace Superbridge.Ssh;

/// <summary>
/// A host key's SHA256 fingerprint exactly as <c>ssh-keygen -lf</c> prints it:
/// <c>SHA256:</c> followed by unpadded base64 (43 characters). Compared ordinally (base64 is case-sensitive).
/// </summary>
public readonly record struct HostKeyFingerprint
{
    private const string Prefix = "SHA256:";

    private readonly string? _value;

    private HostKeyFingerprint(string value) => _value = value;

    /// <summary><c>SHA256:...</c>; empty for <c>default</c>.</summary>
    public string Value => _value ?? "";

    /// <summary>Reads <c>SHA256:...</c> (surrounding whitespace ignored; a bare base64 digest is accepted too).</summary>
    public static HostKeyFingerprint Parse(string text)
    {
        if (TryParse(text, out var fingerprint)) return fingerprint;
        throw new FormatException($"'{text}' is not a SHA256 host key fingerprint (expected SHA256: and 43 base64 characters, as ssh-keygen -l prints).");
    }

    public static bool TryParse(string? text, out HostKeyFingerprint fingerprint)
    {
        fingerprint = default;
        var digest = text?.Trim() ?? "";
        if (digest.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase)) digest = digest[Prefix.Length..];
        digest = digest.TrimEnd('=');
        if (digest.Length != 43) return false;
        foreach (var c in digest)
        {
            var base64 = c is >= 'A' and <= 'Z' or >= 'a' and <= 'z' or >= '0' and <= '9' or '+' or '/';
            if (!base64) return false;
        }
        fingerprint = new HostKeyFingerprint(Prefix + digest);
        return true;
    }

    public override string ToString() => Value;
}

/// <summary>The key a host presented: algorithm (e.g. <c>ssh-ed25519</c>), size in bits, fingerprint.</summary>
public sealed record HostKeyInfo(string Algorithm, int Bits, HostKeyFingerprint Fingerprint)
{
    public override string ToString() => $"{Fingerprint} ({Algorithm}, {Bits} bits)";
}
