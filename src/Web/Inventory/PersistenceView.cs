using Superbridge.Core.Observed;

namespace Superbridge.Web.Inventory;

/// <summary>A host's persistence as the API and the pages name it: "systemd", "none", or "unknown" before its first inventory.</summary>
public sealed record PersistenceView(string Name, string Reason, bool Persistent)
{
    public static PersistenceView Of(ObservedHost? observed) => observed is null
        ? new("unknown", "not known yet: the host has not been inventoried since the dashboard started", false)
        : observed.Boot.Persistence == Persistence.Systemd
            ? new("systemd", observed.Boot.Reason, true)
            : new("none", observed.Boot.Reason, false);
}
