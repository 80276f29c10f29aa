using Superbridge.Web.Hosts;
using Superbridge.Web.Inventory;
using Superbridge.Web.Segments;

namespace Superbridge.Web.Api;

/// <summary><c>/api/containers</c>: every host's containers from their last reads, filtered like the Containers page.</summary>
public static class ContainersApi
{
    public static RouteGroupBuilder MapContainersApi(this RouteGroupBuilder api)
    {
        api.MapGet("/containers", async (HostStore hosts, HostStatusBoard board, SegmentStore segments,
            string? hostId, string? segment, string? state, string? q, CancellationToken ct) =>
        {
            var rows = ContainerRows.From(await hosts.ListAsync(ct), board.Get, await segments.ListAsync(ct));
            return new ContainerFilter(hostId, segment, state, q).Apply(rows).Select(ContainerResponse.From);
        }).WithTags("Containers").Produces<IEnumerable<ContainerResponse>>();
        return api;
    }
}

/// <summary>One container in <c>GET /api/containers</c>.</summary>
public sealed record ContainerResponse(
    string HostId, string Name, string State, IReadOnlyList<string> Ipv4, bool Autostart,
    IReadOnlyList<ContainerInterfaceResponse> Interfaces, IReadOnlyList<string> AttachedTo)
{
    public static ContainerResponse From(ContainerRow row) => new(row.HostId, row.Name, row.State, row.Ipv4, row.Autostart,
        [.. row.Interfaces.Select(n => new ContainerInterfaceResponse(n.Index, n.Name, n.Bridge, n.Segment))], row.AttachedTo);
}

public sealed record ContainerInterfaceResponse(int Index, string? Name, string? Bridge, string? Segment);
