using Superbridge.Core.Observed;

namespace Superbridge.Web.Inventory;

/// <summary>
/// A host's IPsec as the API and the host page show it. <see cref="Status"/>: "ready" (an encrypted segment can be applied),
/// "missing" (<see cref="Missing"/> says what), or "unknown" before the host's first inventory (or from an inventory without
/// the ipsec section). <see cref="Summary"/> is the line the page shows: "strongSwan 5.9.8, daemon running".
/// </summary>
public sealed record IpsecView(string Status, bool Swanctl, bool CharonRunning, string? Version, string? Missing, string Summary)
{
    public static IpsecView Of(ObservedHost? observed)
    {
        if (observed is null || ReferenceEquals(observed.Ipsec, IpsecFacts.Unknown))
            return new("unknown", false, false, null, null, "not known yet: the host's inventory has not said");
        var ipsec = observed.Ipsec;
        var summary = !ipsec.Swanctl ? "strongSwan is not installed"
            : $"strongSwan {ipsec.Version ?? "(version unknown)"}, daemon {(ipsec.CharonRunning ? "running" : "not running")}";
        return new(ipsec.Missing is null ? "ready" : "missing", ipsec.Swanctl, ipsec.CharonRunning, ipsec.Version, ipsec.Missing, summary);
    }
}
