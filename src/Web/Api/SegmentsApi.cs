using System.Security.Claims;
using Superbridge.Web.Segments;

namespace Superbridge.Web.Api;

/// <summary><c>/api/segments</c>: create, router, attachments, plan, apply, teardown.</summary>
public static class SegmentsApi
{
    public static RouteGroupBuilder MapSegmentsApi(this RouteGroupBuilder api)
    {
        var segments = api.MapGroup("/segments").WithTags("Segments");

        segments.MapGet("/", async (SegmentService service, CancellationToken ct) =>
            (await service.ListAsync(ct)).Select(SegmentResponse.From));

        segments.MapGet("/{id}", async (string id, SegmentService service, CancellationToken ct) =>
            await service.FindAsync(id, ct) is { } record ? Results.Ok(SegmentResponse.From(record)) : Results.NotFound())
            .Produces<SegmentResponse>().ProducesProblem(StatusCodes.Status404NotFound);

        segments.MapPost("/", async (CreateSegmentRequest request, SegmentService service, CancellationToken ct) =>
            ToResult(await service.CreateAsync(request, ct), created: true))
            .Produces<SegmentResponse>(StatusCodes.Status201Created);

        segments.MapPut("/{id}/router", async (string id, RouterRequest request, SegmentService service, CancellationToken ct) =>
            ToResult(await service.SetRouterAsync(id, request, ct)))
            .Produces<SegmentResponse>().ProducesProblem(StatusCodes.Status404NotFound);

        segments.MapDelete("/{id}/router", async (string id, SegmentService service, CancellationToken ct) =>
            ToResult(await service.RemoveRouterAsync(id, ct)))
            .Produces<SegmentResponse>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        segments.MapPost("/{id}/attachments", async (string id, AttachmentRequest request, SegmentService service, CancellationToken ct) =>
            ToResult(await service.AttachAsync(id, request, ct)))
            .Produces<SegmentResponse>().ProducesProblem(StatusCodes.Status404NotFound);

        segments.MapDelete("/{id}/attachments/{hostId}/{container}", async (string id, string hostId, string container, SegmentService service, CancellationToken ct) =>
            ToResult(await service.DetachAsync(id, hostId, container, ct)))
            .Produces<SegmentResponse>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        segments.MapGet("/{id}/plan", async (string id, SegmentService service, CancellationToken ct) =>
        {
            var (plan, errors, notFound) = await service.PlanAsync(id, ct);
            if (notFound) return Results.NotFound();
            return plan is null
                ? Results.ValidationProblem(errors.ToDictionary(), title: "The segment cannot be planned")
                : Results.Ok(PlanResponse.From(plan));
        }).Produces<PlanResponse>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        segments.MapPost("/{id}/apply", async (string id, SegmentService service, ClaimsPrincipal user, CancellationToken ct) =>
            ToResult(await service.ApplyAsync(id, UserName(user), cancellationToken: ct)))
            .Produces<ApplyResponse>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        segments.MapDelete("/{id}", async (string id, SegmentService service, ClaimsPrincipal user, CancellationToken ct) =>
        {
            var outcome = await service.DeleteAsync(id, UserName(user), cancellationToken: ct);
            return outcome.Result is null && !outcome.NotFound && !outcome.Errors.Any ? Results.NoContent() : ToResult(outcome);
        }).Produces(StatusCodes.Status204NoContent).Produces<ApplyResponse>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        return api;
    }

    private static string UserName(ClaimsPrincipal user) => user.Identity?.Name ?? "api";

    private static IResult ToResult(SegmentOutcome outcome, bool created = false)
    {
        if (outcome.NotFound) return Results.NotFound();
        if (outcome.Segment is not { } record) return Results.ValidationProblem(outcome.Errors.ToDictionary(), title: "The segment was not changed");
        var body = SegmentResponse.From(record);
        return created ? Results.Created($"/api/segments/{record.Id}", body) : Results.Ok(body);
    }

    private static IResult ToResult(SegmentApplyOutcome outcome)
    {
        if (outcome.NotFound) return Results.NotFound();
        if (outcome.Result is not { } result) return Results.ValidationProblem(outcome.Errors.ToDictionary(), title: "Nothing was run");
        return Results.Ok(ApplyResponse.From(outcome.OperationId, result));
    }
}
