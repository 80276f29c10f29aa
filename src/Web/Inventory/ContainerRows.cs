using Superbridge.Core.Model;
using Superbridge.Operations;
using Superbridge.Web.Hosts;

namespace Superbridge.Web.Inventory;

/// <summary>Every host's containers side by side, from the hosts' last reads and the stored segments; nothing here reads hosts.</summary>
public static class ContainerRows
{
    public static IReadOnlyList<ContainerRow> From(
        IEnumerable<StoredHost> hosts, Func<string, HostStatus> status, IReadOnlyList<SegmentRecord> segments)
    {
        var rows = new List<ContainerRow>();
        foreach (var host in hosts)
        {
            if (status(host.Id).Observed is not { } observed) continue;
            // A bridge belongs to the segment that has this host as member and that bridge name.
            var bridges = segments.Select(s => s.Desired.Spec)
                .Where(s => s.Members.Contains(new HostId(host.Id)))
                .GroupBy(s => s.Bridge).ToDictionary(g => g.Key, g => g.First().Name, StringComparer.Ordinal);
            foreach (var container in observed.Containers)
            {
                var nics = container.Interfaces.IsDefaultOrEmpty && container.ConfiguredLink is { } link
                    ? [new ContainerNic(0, null, link, bridges.GetValueOrDefault(link))]
                    : container.Interfaces.Select(n => new ContainerNic(n.Index, n.Name, n.Link, n.Link is null ? null : bridges.GetValueOrDefault(n.Link))).ToList();
                rows.Add(new ContainerRow
                {
                    HostId = host.Id, HostName = host.Name, Name = container.Name, State = container.State,
                    Ipv4 = container.Ipv4, Autostart = container.Autostart, Interfaces = [.. nics],
                    AttachedTo = [.. segments.Where(s => s.Desired.Spec.Attachments.Any(a => a.Host.Value == host.Id && a.Container == container.Name))
                        .Select(s => s.Desired.Spec.Name)],
                });
            }
        }
        return rows;
    }
}

/// <summary>What the containers list is narrowed to; empty fields do not filter. Text matches name, host, address or bridge.</summary>
public sealed record ContainerFilter(string? Host = null, string? Segment = null, string? State = null, string? Text = null)
{
    public IEnumerable<ContainerRow> Apply(IEnumerable<ContainerRow> rows) => rows.Where(Matches);

    public bool Matches(ContainerRow row) =>
        (string.IsNullOrWhiteSpace(Host) || row.HostId == Host.Trim() || row.HostName == Host.Trim())
        && (string.IsNullOrWhiteSpace(Segment) || row.AttachedTo.Contains(Segment.Trim()) || row.Interfaces.Any(n => n.Segment == Segment.Trim()))
        && (string.IsNullOrWhiteSpace(State) || string.Equals(row.State, State.Trim(), StringComparison.OrdinalIgnoreCase))
        && (string.IsNullOrWhiteSpace(Text) || new[] { row.Name, row.HostName, row.HostId }
            .Concat(row.Ipv4).Concat(row.Interfaces.Select(n => n.Bridge ?? ""))
            .Any(v => v.Contains(Text.Trim(), StringComparison.OrdinalIgnoreCase)));
}
