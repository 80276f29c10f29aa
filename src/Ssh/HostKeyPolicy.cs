namespace Superbridge.Ssh;

/// <summary>
/// Which host key a connection accepts. Nothing is ever accepted silently: a host is either pinned,
/// trusted on first use by the operator's explicit choice, or only probed for its key.
/// </summary>
public abstract record HostKeyPolicy
{
    private HostKeyPolicy() { }

    public static HostKeyPolicy Pin(HostKeyFingerprint fingerprint) => new Pinned(fingerprint);
    public static HostKeyPolicy Pin(string fingerprint) => new Pinned(HostKeyFingerprint.Parse(fingerprint));
    public static HostKeyPolicy TrustOnFirstUse { get; } = new Tofu();
    public static HostKeyPolicy ProbeOnly { get; } = new Probe();

    /// <summary>Whether a session may be opened to a host presenting <paramref name="presented"/>.</summary>
    public abstract bool Accepts(HostKeyFingerprint presented);

    /// <summary>Only a host presenting exactly this key is accepted; any other key is refused as changed.</summary>
    public sealed record Pinned(HostKeyFingerprint Fingerprint) : HostKeyPolicy
    {
        public override bool Accepts(HostKeyFingerprint presented) => presented == Fingerprint;
        public override string ToString() => $"Pinned({Fingerprint})";
    }

    /// <summary>
    /// The operator chose to accept whatever key the host presents now; the session reports it
    /// (<c>IHostSession.HostKey</c>) so the caller can pin it from then on.
    /// </summary>
    public sealed record Tofu : HostKeyPolicy
    {
        public override bool Accepts(HostKeyFingerprint presented) => true;
        public override string ToString() => "TrustOnFirstUse";
    }

    /// <summary>Connect only to read the key; no session is opened and nothing runs.</summary>
    public sealed record Probe : HostKeyPolicy
    {
        public override bool Accepts(HostKeyFingerprint presented) => false;
        public override string ToString() => "ProbeOnly";
    }
}
