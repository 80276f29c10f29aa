namespace Superbridge.Core.Observed;

/// <summary>The backend from <c>iptables -V</c>: "iptables v1.8.9 (nf_tables)" or "iptables v1.8.9 (legacy)".</summary>
public static class IptablesVersionParser
{
    public const string Command = "iptables -V";

    public static IptablesBackend Parse(string output)
    {
        var text = (output ?? "").Trim();
        if (text.EndsWith("(nf_tables)", StringComparison.Ordinal)) return IptablesBackend.NfTables;
        if (text.EndsWith("(legacy)", StringComparison.Ordinal)) return IptablesBackend.Legacy;
        // Versions before 1.8 have only the legacy backend and print no suffix.
        if (text.StartsWith("iptables v1.", StringComparison.Ordinal) && !text.Contains('(')) return IptablesBackend.Legacy;
        throw new ObservedParseException(nameof(IptablesVersionParser), Command,
            $"expected \"iptables vX.Y.Z (nf_tables)\" or \"(legacy)\", found \"{(text.Length <= 60 ? text : text[..60] + "...")}\"");
    }
}
