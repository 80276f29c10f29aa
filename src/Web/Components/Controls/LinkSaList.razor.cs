using System.Collections.Immutable;
using System.Globalization;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using Superbridge.Web.Ipsec;

namespace Superbridge.Web.Components.Controls;

/// <summary>Each protected link's SAs, per end: a chip (Established since… / Not established / Unknown), traffic each way, the next rekey.</summary>
public partial class LinkSaList
{
    [Parameter, EditorRequired] public required ImmutableArray<LinkSa> Links { get; set; }

    private static string ChipText(LinkSaEnd end) => end switch
    {
        { State: "unknown" } => "Unknown",
        { Established: true, EstablishedAt: { } at } => $"Established since {DisplayFormat.Timestamp(at)}",
        { IkeState: { } ike } => $"Not established ({ike.ToLowerInvariant()})",
        _ => "Not established",
    };

    private static Color ChipColor(LinkSaEnd end) => end.State switch
    {
        "established" => Color.Success,
        "unknown" => Color.Default,
        _ => Color.Warning,
    };

    private static string Tooltip(LinkSaEnd end) => end.ReadAt is { } read
        ? $"As read from {end.Host} at {DisplayFormat.Timestamp(read)}"
        : $"{end.Host} has not been read since the dashboard started";

    private static string Traffic(long? bytes, long? packets) => bytes is { } b && packets is { } p
        ? $"{b.ToString("N0", CultureInfo.InvariantCulture)} bytes, {p.ToString("N0", CultureInfo.InvariantCulture)} packets"
        : "—";
}
