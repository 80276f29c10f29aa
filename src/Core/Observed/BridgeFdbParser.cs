using System.Collections.Immutable;

namespace Superbridge.Core.Observed;

/// <summary>
/// Reads <c>bridge -j fdb show</c>. Entries with MAC 00:00:00:00:00:00 and a "dst" are VXLAN head-end
/// replication: flooded frames go to every such destination (<see cref="FloodDestinations"/>).
/// </summary>
public static class BridgeFdbParser
{
    public const string Command = "bridge -j fdb show";
    public const string AllZeroMac = "00:00:00:00:00:00";
    private static readonly ParserContext Context = new(nameof(BridgeFdbParser), Command);

    public static ImmutableArray<ObservedFdbEntry> Parse(string output)
    {
        using var document = Context.ParseJsonArray(output);
        var entries = ImmutableArray.CreateBuilder<ObservedFdbEntry>();
        var index = 0;
        foreach (var entry in document.RootElement.EnumerateArray())
        {
            Context.RequireObject(entry, index);
            entries.Add(new ObservedFdbEntry(
                Context.RequireString(entry, "ifname", index),
                Context.RequireString(entry, "mac", index).ToLowerInvariant(),
                ParserContext.OptionalString(entry, "dst"),
                ParserContext.OptionalString(entry, "master")));
            index++;
        }
        return entries.ToImmutable();
    }

    /// <summary>Head-end replication peers of <paramref name="device"/>: the "dst" of its all-zero MAC entries, distinct, in order.</summary>
    public static ImmutableArray<string> FloodDestinations(IEnumerable<ObservedFdbEntry> fdb, string device) =>
        [.. fdb.Where(e => e.Device == device && e.Mac == AllZeroMac && e.Destination is not null)
            .Select(e => e.Destination!)
            .Distinct(StringComparer.Ordinal)];
}
