using System.Collections.Immutable;

namespace Superbridge.Core.Observed;

/// <summary>
/// A real l2tp_eth session device carries no <c>info_kind</c> in <c>ip -j -d link show</c> (seen on Debian's
/// 6.1 kernel), so it looks like a physical NIC. The session list names it: mark those links as <c>l2tp</c>.
/// </summary>
public static class L2tpSessionDevices
{
    public const string Kind = "l2tp";

    public static ImmutableArray<ObservedLink> MarkKinds(ImmutableArray<ObservedLink> links, ImmutableArray<ObservedL2tpSession> sessions)
    {
        if (links.IsDefaultOrEmpty || sessions.IsDefaultOrEmpty) return links.IsDefault ? [] : links;
        var names = sessions.Select(s => s.InterfaceName).ToHashSet(StringComparer.Ordinal);
        return [.. links.Select(l => l.Kind.Length == 0 && names.Contains(l.Name) ? l with { Kind = Kind } : l)];
    }
}
