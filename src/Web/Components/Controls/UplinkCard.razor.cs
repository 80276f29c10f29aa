using System.Collections.Immutable;
using Microsoft.AspNetCore.Components;
using Superbridge.Core.Model;
using Superbridge.Web.Segments;

namespace Superbridge.Web.Components.Controls;

/// <summary>
/// A segment's uplink NICs with remove, and a picker that lists the chosen member's observed NICs, the ones Core
/// would refuse disabled with its reason. Changes go to the wanted state; the page's apply runs them.
/// </summary>
public partial class UplinkCard
{
    private string? _host;

    [Parameter] public required ImmutableArray<UplinkRow> Rows { get; set; }
    [Parameter] public required IReadOnlyList<string> Members { get; set; }
    /// <summary>A member's NICs, or null when it has not been observed.</summary>
    [Parameter] public required Func<string, ImmutableArray<NicChoice>?> Choices { get; set; }
    [Parameter] public EventCallback<UplinkSpec> OnAdd { get; set; }
    [Parameter] public EventCallback<UplinkRow> OnRemove { get; set; }

    protected override void OnParametersSet()
    {
        if (_host is null || !Members.Contains(_host)) _host = Members.FirstOrDefault();
    }

    private void SelectHost(string host) => _host = host;

    private static string PendingName(UplinkChange change) => change switch
    {
        UplinkChange.Add => "add",
        UplinkChange.Remove => "remove",
        _ => "none",
    };
}
