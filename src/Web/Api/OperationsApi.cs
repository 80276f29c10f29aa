using System.Text.Json;
using Superbridge.Operations;
using Superbridge.Web.Audit;

namespace Superbridge.Web.Api;

/// <summary>
/// <c>/api/operations</c>: every apply and teardown, newest first; one operation with its results; waiting for its
/// end; its live events as Server-Sent Events (the UI's live log, from the operation's start); cancelling it.
/// </summary>
public static class OperationsApi
{
    private static readonly TimeSpan MaxWait = TimeSpan.FromMinutes(10);

    public static RouteGroupBuilder MapOperationsApi(this RouteGroupBuilder api)
    {
        var operations = api.MapGroup("/operations").WithTags("Operations");

        operations.MapGet("/", async (string? segment, int? limit, SegmentService service, CancellationToken ct) =>
            (await service.ListOperationsAsync(segment, Math.Clamp(limit ?? 100, 1, 1000), ct)).Select(OperationSummaryResponse.From))
            .Produces<IEnumerable<OperationSummaryResponse>>();

        operations.MapGet("/{id:long}", async (long id, SegmentService service, CancellationToken ct) =>
            await service.FindOperationAsync(id, ct) is { } operation ? Results.Ok(OperationResponse.From(operation)) : Results.NotFound())
            .Produces<OperationResponse>().ProducesProblem(StatusCodes.Status404NotFound);

        // Returns when the operation has ended, or after `timeout` seconds with the operation as it stands.
        operations.MapGet("/{id:long}/wait", async (long id, double? timeout, SegmentService service, CancellationToken ct) =>
        {
            var wait = TimeSpan.FromSeconds(Math.Clamp(timeout ?? 30, 0, MaxWait.TotalSeconds));
            return await service.WaitAsync(id, wait, ct) is { } operation ? Results.Ok(OperationResponse.From(operation)) : Results.NotFound();
        }).Produces<OperationResponse>().ProducesProblem(StatusCodes.Status404NotFound);

        operations.MapGet("/{id:long}/events", async (long id, SegmentService service, HttpContext http, CancellationToken ct) =>
        {
            if (await service.FindOperationAsync(id, ct) is not { } operation) return Results.NotFound();
            http.Response.Headers.ContentType = "text/event-stream";
            http.Response.Headers.CacheControl = "no-cache";
            await foreach (var e in service.EventsAsync(id, ct))
                await WriteEventAsync(http.Response, ApplyEventWire.Name(e), ApplyEventWire.Body(e), ct);
            var ended = await service.FindOperationAsync(id, ct) ?? operation;
            await WriteEventAsync(http.Response, "operation", OperationResponse.From(ended), ct);
            return Results.Empty;
        }).Produces(StatusCodes.Status200OK, contentType: "text/event-stream").ProducesProblem(StatusCodes.Status404NotFound);

        // Cancel: the operation stops after the step that is running and rolls back; one that has not started never runs.
        operations.MapDelete("/{id:long}", async (long id, SegmentService service, CancellationToken ct) =>
        {
            if (await service.FindOperationAsync(id, ct) is not { } operation) return Results.NotFound();
            if (!service.Cancel(id))
                return Results.Problem($"operation {id} is {operation.Status.Name()}, not running", statusCode: StatusCodes.Status409Conflict,
                    title: "The operation cannot be cancelled");
            return Results.Accepted($"/api/operations/{id}", OperationResponse.From(await service.FindOperationAsync(id, ct) ?? operation));
        }).Produces<OperationResponse>(StatusCodes.Status202Accepted).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        return api;
    }

    private static async Task WriteEventAsync(HttpResponse response, string name, object body, CancellationToken ct)
    {
        await response.WriteAsync($"event: {name}\ndata: {JsonSerializer.Serialize(body, JsonSerializerOptions.Web)}\n\n", ct);
        await response.Body.FlushAsync(ct);
    }
}
