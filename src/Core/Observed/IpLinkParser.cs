using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Superbridge.Core.Observed;

/// <summary>
/// Reads <c>ip -j -d link show</c> into <see cref="ObservedLink"/>s. Without <c>-d</c> the output has no
/// <c>linkinfo</c>, so every link then has an empty <see cref="ObservedLink.Kind"/>; the inventory must pass <c>-d</c>.
/// Also reads <see cref="IpAddrParser.DetailedCommand"/> (<c>ip -j -d addr show</c>), whose entries carry the same
/// link fields plus <c>addr_info</c>: the inventory runs that one command for links and addresses.
/// </summary>
public static class IpLinkParser
{
    public const string Command = "ip -j -d link show";
    private static readonly ParserContext Context = new(nameof(IpLinkParser), Command);

    public static ImmutableArray<ObservedLink> Parse(string output)
    {
        using var document = Context.ParseJsonArray(output);
        var links = ImmutableArray.CreateBuilder<ObservedLink>();
        var index = 0;
        foreach (var entry in document.RootElement.EnumerateArray())
        {
            links.Add(ParseLink(Context.RequireObject(entry, index), index));
            index++;
        }
        return links.ToImmutable();
    }

    private static ObservedLink ParseLink(JsonElement entry, int index)
    {
        var name = Context.RequireString(entry, "ifname", index);
        var where = $" ({name})";
        var kind = "";
        VxlanInfo? vxlan = null;
        GretapInfo? gretap = null;
        bool? stp = null;
        string? portState = null;
        if (ParserContext.TryGetObject(entry, "linkinfo", out var linkinfo))
        {
            kind = ParserContext.OptionalString(linkinfo, "info_kind") ?? "";
            ParserContext.TryGetObject(linkinfo, "info_data", out var data);
            switch (kind)
            {
                case "vxlan":
                    vxlan = ParseVxlan(data, index, where);
                    break;
                case "gretap" or "ip6gretap":
                    gretap = ParseGretap(data, index, where);
                    break;
                case "bridge":
                    stp = data.ValueKind == JsonValueKind.Object && data.TryGetProperty("stp_state", out _)
                        ? Context.OptionalInt(data, "stp_state", index, where) != 0
                        : null;
                    break;
            }
            if (ParserContext.OptionalString(linkinfo, "info_slave_kind") == "bridge"
                && ParserContext.TryGetObject(linkinfo, "info_slave_data", out var slave))
                portState = ParserContext.OptionalString(slave, "state");
        }

        return new ObservedLink
        {
            Name = name,
            Index = Context.OptionalInt(entry, "ifindex", index, where),
            Kind = kind,
            Master = ParserContext.OptionalString(entry, "master"),
            Mtu = Context.OptionalInt(entry, "mtu", index, where),
            OperState = ParserContext.OptionalString(entry, "operstate") ?? "",
            IsUp = ParserContext.HasFlag(entry, "UP"),
            MacAddress = ParserContext.OptionalString(entry, "address"),
            Vxlan = vxlan,
            Gretap = gretap,
            StpEnabled = stp,
            PortState = portState,
        };
    }

    private static VxlanInfo ParseVxlan(JsonElement data, int index, string where)
    {
        if (data.ValueKind != JsonValueKind.Object)
            throw Context.Error($"entry {index}{where}: a vxlan link has no linkinfo.info_data");
        if (!data.TryGetProperty("id", out var id) || !id.TryGetUInt32(out var vni))
            throw Context.Error($"entry {index}{where}: vxlan info_data has no numeric \"id\" (VNI)");
        return new VxlanInfo(
            vni,
            ParserContext.OptionalString(data, "local") ?? ParserContext.OptionalString(data, "local6"),
            Context.OptionalInt(data, "port", index, where + " info_data"),
            ParserContext.OptionalString(data, "link"))
        {
            Remote = ParserContext.OptionalString(data, "remote") ?? ParserContext.OptionalString(data, "remote6")
                ?? ParserContext.OptionalString(data, "group") ?? ParserContext.OptionalString(data, "group6"),
        };
    }

    private static GretapInfo ParseGretap(JsonElement data, int index, string where)
    {
        if (data.ValueKind != JsonValueKind.Object) return new GretapInfo(null, null, null, null, null);
        int? ttl = data.TryGetProperty("ttl", out _) ? Context.OptionalInt(data, "ttl", index, where + " info_data") : null;
        return new GretapInfo(
            Endpoint(ParserContext.OptionalString(data, "local")),
            Endpoint(ParserContext.OptionalString(data, "remote")),
            Key(data, "ikey", index, where),
            Key(data, "okey", index, where),
            ttl);
    }

    /// <summary>iproute2 prints an unset tunnel endpoint as "any".</summary>
    private static string? Endpoint(string? value) => value is null or "any" ? null : value;

    /// <summary>
    /// GRE keys: iproute2's <c>gre_print_opt</c> prints them with inet_ntop, so key 7 reads "0.0.0.7";
    /// a plain number (JSON number or numeric string) is accepted too.
    /// </summary>
    internal static uint? Key(JsonElement data, string property, int index, string where)
    {
        if (!data.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetUInt32(out var number)) return number;
        var text = value.ValueKind == JsonValueKind.String ? value.GetString() ?? "" : value.GetRawText();
        if (uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out number)) return number;
        if (text.Count(c => c == '.') == 3 && IPAddress.TryParse(text, out var dotted)
            && dotted.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
        {
            var bytes = dotted.GetAddressBytes();
            return (uint)(bytes[0] << 24 | bytes[1] << 16 | bytes[2] << 8 | bytes[3]);
        }
        throw Context.Error($"entry {index}{where}: GRE \"{property}\" \"{text}\" is neither a number nor a dotted quad");
    }
}
