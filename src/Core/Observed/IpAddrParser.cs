using System.Collections.Immutable;
using System.Text.Json;

namespace Superbridge.Core.Observed;

/// <summary>
/// Reads <c>ip -j addr show</c>: one <see cref="ObservedAddress"/> per addr_info entry, in output order.
/// <see cref="DetailedCommand"/> prints the same plus every link's details, so <see cref="IpLinkParser"/> reads
/// its output too: the inventory runs it once for both.
/// </summary>
public static class IpAddrParser
{
    public const string Command = "ip -j addr show";

    /// <summary><c>ip -j -d addr show</c>: addresses and, per link, what <c>ip -j -d link show</c> prints (less linkmode and inet6_addr_gen_mode).</summary>
    public const string DetailedCommand = "ip -j -d addr show";
    private static readonly ParserContext Context = new(nameof(IpAddrParser), Command);

    public static ImmutableArray<ObservedAddress> Parse(string output)
    {
        using var document = Context.ParseJsonArray(output);
        var addresses = ImmutableArray.CreateBuilder<ObservedAddress>();
        var index = 0;
        foreach (var entry in document.RootElement.EnumerateArray())
        {
            Context.RequireObject(entry, index);
            // Older iproute2 prints "{}" for devices a family filter (-4/-6) left out.
            if (!entry.EnumerateObject().Any()) { index++; continue; }
            var device = Context.RequireString(entry, "ifname", index);
            if (entry.TryGetProperty("addr_info", out var infos))
            {
                if (infos.ValueKind != JsonValueKind.Array)
                    throw Context.Error($"entry {index} ({device}): \"addr_info\" is {infos.ValueKind}, expected an array");
                var position = 0;
                foreach (var info in infos.EnumerateArray())
                {
                    var where = $" ({device}) addr_info[{position}]";
                    if (info.ValueKind != JsonValueKind.Object)
                        throw Context.Error($"entry {index}{where} is {info.ValueKind}, expected an object");
                    if (!info.EnumerateObject().Any()) { position++; continue; }
                    var family = ParserContext.OptionalString(info, "family")
                        ?? throw Context.Error($"entry {index}{where} has no \"family\"");
                    var local = ParserContext.OptionalString(info, "local")
                        ?? throw Context.Error($"entry {index}{where} has no string \"local\"");
                    if (!info.TryGetProperty("prefixlen", out var prefix) || !prefix.TryGetInt32(out var prefixLength))
                        throw Context.Error($"entry {index}{where} has no numeric \"prefixlen\"");
                    addresses.Add(new ObservedAddress(device, family, local, prefixLength));
                    position++;
                }
            }
            index++;
        }
        return addresses.ToImmutable();
    }
}
