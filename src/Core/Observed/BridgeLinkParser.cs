using System.Collections.Immutable;

namespace Superbridge.Core.Observed;

/// <summary>
/// Reads <c>bridge -j link show</c> into <see cref="BridgePort"/>s. The entry's "link" field is not used: for a
/// veth whose peer lives in another namespace (a container), bridge resolves the peer's ifindex against the
/// local namespace and can print an unrelated local name.
/// </summary>
public static class BridgeLinkParser
{
    public const string Command = "bridge -j link show";
    private static readonly ParserContext Context = new(nameof(BridgeLinkParser), Command);

    public static ImmutableArray<BridgePort> Parse(string output)
    {
        using var document = Context.ParseJsonArray(output);
        var ports = ImmutableArray.CreateBuilder<BridgePort>();
        var index = 0;
        foreach (var entry in document.RootElement.EnumerateArray())
        {
            Context.RequireObject(entry, index);
            var device = Context.RequireString(entry, "ifname", index);
            var where = $" ({device})";
            ports.Add(new BridgePort(
                device,
                Context.OptionalInt(entry, "ifindex", index, where),
                Context.RequireString(entry, "master", index),
                ParserContext.OptionalString(entry, "state") ?? "",
                Context.OptionalInt(entry, "mtu", index, where),
                ParserContext.HasFlag(entry, "UP")));
            index++;
        }
        return ports.ToImmutable();
    }
}
