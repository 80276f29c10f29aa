using System.Collections.Immutable;

namespace Superbridge.Core.Observed;

/// <summary>
/// What the kernel needs for Superbridge's ESP: the protocol (esp4) and, for each proposal of
/// <see cref="Mtu.MtuCalculator.EspProposals"/>, its algorithms. Probed like the transport modules, by
/// <c>sb_feature</c> of <see cref="KernelFeatureProbeParser.ProbeScript"/> (loaded, modinfo, .ko file,
/// modules.builtin, kernel config): /proc/crypto lists only what is loaded, and a module loads when first used.
/// Module names are Debian 6.1's (aes_generic, sha256_generic); a kernel that renamed them is still read from its config.
/// </summary>
public static class EspKernelProbe
{
    public static ImmutableArray<KernelPiece> Pieces { get; } =
    [
        new("esp", "esp4", "CONFIG_INET_ESP"),
        new("aes", "aes_generic", "CONFIG_CRYPTO_AES"),
        new("gcm", "gcm", "CONFIG_CRYPTO_GCM"),
        new("cbc", "cbc", "CONFIG_CRYPTO_CBC"),
        new("authenc", "authenc", "CONFIG_CRYPTO_AUTHENC"),
        new("hmac", "hmac", "CONFIG_CRYPTO_HMAC"),
        new("sha256", "sha256_generic", "CONFIG_CRYPTO_SHA256"),
    ];

    /// <summary>The ESP proposals by <see cref="Mtu.EspTransform.Name"/>, with the pieces each one needs besides esp.</summary>
    public static ImmutableArray<EspProposalNeeds> Proposals { get; } =
    [
        new("aes256gcm16", "AES-GCM", ["aes", "gcm"]),
        new("aes256-sha256", "AES-CBC with HMAC-SHA-256", ["aes", "cbc", "authenc", "hmac", "sha256"]),
    ];

    /// <summary>One <c>sb_feature</c> call per piece, for a shell where the feature probe has run.</summary>
    public static string Script { get; } = string.Concat(Pieces.Select(p => $"sb_feature {p.Feature} {p.Module} {p.Config}\n"));

    /// <summary>The kernel's support from the probe's lines (those of other features are ignored).</summary>
    /// <exception cref="KeyNotFoundException">A piece has no line: the caller checks first and names the missing lines.</exception>
    public static EspKernelSupport Read(IReadOnlyDictionary<string, KernelFeatureLine> lines) =>
        new([.. Pieces.Where(p => !lines[p.Feature].Available)]);
}

/// <summary>A kernel piece as <c>sb_feature</c> probes it: the line's name, the module, the CONFIG_ option.</summary>
public sealed record KernelPiece(string Feature, string Module, string Config);

/// <summary>An ESP proposal, its name for operators, and the kernel pieces its algorithms need.</summary>
public sealed record EspProposalNeeds(string Proposal, string Words, ImmutableArray<string> Pieces);

/// <summary>What the kernel lacks of <see cref="EspKernelProbe.Pieces"/> (answered no or unknown).</summary>
public sealed record EspKernelSupport(ImmutableArray<KernelPiece> Lacking)
{
    public static EspKernelSupport None { get; } = new(EspKernelProbe.Pieces);
    public static EspKernelSupport Complete { get; } = new(ImmutableArray<KernelPiece>.Empty);

    public bool Esp => !Lacks("esp");

    /// <summary>The proposals whose algorithms the kernel has (names of <see cref="Mtu.MtuCalculator.EspProposals"/>).</summary>
    public IEnumerable<string> Proposals => EspKernelProbe.Proposals.Where(p => !p.Pieces.Any(Lacks)).Select(p => p.Proposal);

    /// <summary>What the kernel lacks for ESP, in words naming the modules and options, or null when nothing.</summary>
    public string? Missing => !Esp ? $"the kernel has no ESP: {Describe(Lacking.Where(p => p.Feature == "esp"))} is missing"
        : !Proposals.Any()
            ? "the kernel has the algorithms of neither ESP proposal: "
              + string.Join(", ", EspKernelProbe.Proposals.Select(p => $"{p.Words} lacks {Describe(Lacking.Where(l => p.Pieces.Contains(l.Feature)))}"))
        : null;

    private bool Lacks(string feature) => Lacking.Any(p => p.Feature == feature);

    private static string Describe(IEnumerable<KernelPiece> pieces) =>
        string.Join(" and ", pieces.Select(p => $"module {p.Module} ({p.Config})"));
}
