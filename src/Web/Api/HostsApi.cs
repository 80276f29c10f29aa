using Superbridge.Web.Hosts;

namespace Superbridge.Web.Api;

/// <summary><c>/api/hosts</c>: add (after a real login with the confirmed host key), list, show, remove.</summary>
public static class HostsApi
{
    public static RouteGroupBuilder MapHostsApi(this RouteGroupBuilder api)
    {
        var hosts = api.MapGroup("/hosts").WithTags("Hosts");

        hosts.MapPost("/", async (AddHostRequest request, HostRegistrationService registration, CancellationToken ct) =>
        {
            var result = await registration.AddAsync(request, ct);
            return result.Host is { } host
                ? Results.Created($"/api/hosts/{host.Id}", HostResponse.From(host, "online"))
                : Results.ValidationProblem(result.Errors.ToDictionary(), title: "The host was not added");
        });

        hosts.MapGet("/", async (HostStore store, CancellationToken ct) =>
            (await store.ListAsync(ct)).Select(h => HostResponse.From(h, "unknown")));

        hosts.MapGet("/{id}", async (string id, HostStore store, CancellationToken ct) =>
            await store.FindAsync(id, ct) is { } host ? Results.Ok(HostResponse.From(host, "unknown")) : Results.NotFound());

        hosts.MapDelete("/{id}", async (string id, HostRegistrationService registration, CancellationToken ct) =>
            await registration.RemoveAsync(id, ct) ? Results.NoContent() : Results.NotFound());

        return api;
    }
}
