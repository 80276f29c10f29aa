using Superbridge.Web.Hosts;
using Superbridge.Ssh.Inventory;
using Superbridge.Web.Inventory;

namespace Superbridge.Web.Api;

/// <summary><c>/api/hosts</c>: add (after a real login with the confirmed host key), list, show, set the tunnel and peer addresses, remove.</summary>
public static class HostsApi
{
    public static RouteGroupBuilder MapHostsApi(this RouteGroupBuilder api)
    {
        var hosts = api.MapGroup("/hosts").WithTags("Hosts");

        hosts.MapPost("/", async (AddHostRequest request, HostRegistrationService registration, HostStore store, HostStatusBoard board, CancellationToken ct) =>
        {
            var result = await registration.AddAsync(request, ct);
            return result.Host is { } host
                ? Results.Created($"/api/hosts/{host.Id}", HostResponse.From(host, board.Get(host.Id) with { State = HostState.Online }, await store.ListAsync(ct)))
                : Results.ValidationProblem(result.Errors.ToDictionary(), title: "The host was not added");
        }).Produces<HostResponse>(StatusCodes.Status201Created);

        hosts.MapGet("/", async (HostStore store, HostStatusBoard board, CancellationToken ct) =>
        {
            var all = await store.ListAsync(ct);
            return all.Select(h => HostResponse.From(h, board.Get(h.Id), all));
        });

        // What the last read found (persistence "unknown" before the first one: POST .../refresh reads the host).
        hosts.MapGet("/{id}", async (string id, HostStore store, HostStatusBoard board, CancellationToken ct) =>
        {
            var all = await store.ListAsync(ct);
            return all.FirstOrDefault(h => h.Id == id) is { } host ? Results.Ok(HostResponse.From(host, board.Get(id), all)) : Results.NotFound();
        }).Produces<HostResponse>().ProducesProblem(StatusCodes.Status404NotFound);

        // Only the tunnel and peer addresses change here; both are sent, blank for the default.
        hosts.MapPatch("/{id}", async (string id, HostAddressesRequest request, HostAddressEditor editor, HostStore store, HostStatusBoard board, CancellationToken ct) =>
        {
            var result = await editor.SetAsync(id, request, ct);
            if (result.NotFound) return Results.NotFound();
            if (result.Errors.Any) return Results.ValidationProblem(result.Errors.ToDictionary(), title: "The host's addresses were not changed");
            var all = await store.ListAsync(ct);
            return Results.Ok(HostResponse.From(all.Single(h => h.Id == id), board.Get(id), all));
        }).Produces<HostResponse>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        hosts.MapDelete("/{id}", async (string id, HostRegistrationService registration, HostStatusBoard board, CancellationToken ct) =>
        {
            var removal = await registration.RemoveAsync(id, ct);
            if (removal.NotFound) return Results.NotFound();
            if (removal.Refusal is { } why)
                return Results.Problem(why, statusCode: StatusCodes.Status409Conflict, title: $"Host {id} is in use",
                    extensions: new Dictionary<string, object?> { ["segments"] = removal.UsedBy, ["busy"] = removal.Busy });
            board.Forget(id);
            return Results.NoContent();
        }).Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        // The last inventory read; a host never read yet is refreshed first. 503 when it cannot be read.
        hosts.MapGet("/{id}/inventory", async (string id, HostStatusBoard board, CancellationToken ct) =>
        {
            var status = board.Get(id);
            if (status.Inventory is null)
            {
                if (await board.RefreshAsync(id, cancellationToken: ct) is not { } refreshed) return Results.NotFound();
                status = refreshed;
            }
            return status.Inventory is { } inventory
                ? Results.Ok(inventory)
                : Results.Problem(status.Message, statusCode: StatusCodes.Status503ServiceUnavailable, title: $"Host {id} is offline",
                    extensions: new Dictionary<string, object?> { ["reason"] = status.Reason is { } r ? HostStatusResponse.ReasonName(r) : null });
        }).Produces<HostInventory>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        hosts.MapPost("/{id}/refresh", async (string id, HostStatusBoard board, CancellationToken ct) =>
            await board.RefreshAsync(id, cancellationToken: ct) is { } status ? Results.Ok(HostStatusResponse.From(status)) : Results.NotFound())
            .Produces<HostStatusResponse>().ProducesProblem(StatusCodes.Status404NotFound);

        return api;
    }
}
