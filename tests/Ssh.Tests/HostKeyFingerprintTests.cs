namespace Superbridge.Ssh.Tests;

public sealed class HostKeyFingerprintTests
{
    private const string Digest = "ohD8VZEXGWo6Ez8GSEJQ9WpafgLFsOfLOtGGQCQo6Og";

    [Theory]
    [InlineData("SHA256:" + Digest)]
    [InlineData("  SHA256:" + Digest + "  ")]
    [InlineData("sha256:" + Digest)]
    [InlineData(Digest)]
    [InlineData(Digest + "=")]
    public void A_fingerprint_reads_as_ssh_keygen_prints_it(string text)
    {
        Assert.Equal("SHA256:" + Digest, HostKeyFingerprint.Parse(text).Value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("SHA256:")]
    [InlineData("MD5:97:70:33:82:fd:29:3a:73:39:af:6a:07:ad:f8:80:49")]
    [InlineData("SHA256:" + Digest + "x")]
    [InlineData("SHA256:ohD8VZEXGWo6Ez8GSEJQ9WpafgLFsOfLOtGGQCQo6O!")]
    public void Anything_else_is_not_a_fingerprint(string text)
    {
        Assert.False(HostKeyFingerprint.TryParse(text, out _));
        Assert.Throws<FormatException>(() => HostKeyFingerprint.Parse(text));
    }

    [Fact]
    public void Fingerprints_compare_case_sensitively()
    {
        var a = HostKeyFingerprint.Parse(Digest);
        var b = HostKeyFingerprint.Parse(Digest.ToLowerInvariant());

        Assert.NotEqual(a, b);
        Assert.True(HostKeyPolicy.Pin(a).Accepts(a));
        Assert.False(HostKeyPolicy.Pin(a).Accepts(b));
        Assert.False(HostKeyPolicy.ProbeOnly.Accepts(a));
    }
}
