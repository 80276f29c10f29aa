using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Superbridge.Core.Model;
using Superbridge.Core.Validation;
using Superbridge.Operations;
using Superbridge.Web.Audit;
using Superbridge.Web.Ipsec;
using Superbridge.Web.Segments;
using Superbridge.Web.Topology;

namespace Superbridge.Web.Api;

/// <summary>
/// <c>/api/segments</c>: create, router, attachments, uplinks, plan, apply, teardown. Apply and teardown are operations that
/// run in the background: they answer <c>202</c> with the operation (<c>/api/operations/{id}</c>), and a client going
/// away never cancels them.
/// </summary>
public static class SegmentsApi
{
    /// <summary>How long apply waits for its plan to be checked, so that a changed plan can be answered with 409 at once.</summary>
    private static readonly TimeSpan PlanCheckWait = TimeSpan.FromSeconds(15);

    public static RouteGroupBuilder MapSegmentsApi(this RouteGroupBuilder api)
    {
        var segments = api.MapGroup("/segments").WithTags("Segments");

        segments.MapGet("/", async (SegmentService service, OperationJournal journal, CancellationToken ct) =>
        {
            var latest = await journal.LatestBySegmentAsync(ct);
            return (await service.ListAsync(ct)).Select(r => SegmentResponse.From(r, latest.GetValueOrDefault(r.Id)));
        }).Produces<IEnumerable<SegmentResponse>>();

        // The SAs come from the hosts' last inventories (unknown before the first one: POST /api/hosts/{id}/refresh reads a host).
        segments.MapGet("/{id}", async (string id, SegmentService service, OperationJournal journal, TopologyData data, CancellationToken ct) =>
            await service.FindAsync(id, ct) is { } record
                ? Results.Ok(SegmentResponse.From(record, (await journal.ListAsync(id, 1, ct)).FirstOrDefault(),
                    LinkSaBuilder.Build(record.Desired.Spec, await data.HostsAsync(ct))))
                : Results.NotFound())
            .Produces<SegmentResponse>().ProducesProblem(StatusCodes.Status404NotFound);

        segments.MapPost("/", async (CreateSegmentRequest request, SegmentService service, ClaimsPrincipal user, CancellationToken ct) =>
        {
            var errors = new Validation.FieldErrors();
            if (SegmentRequestMapper.ToSpec(request, errors) is not { } spec) return Invalid(errors);
            return ToResult(await service.CreateAsync(spec, UserName(user), ct), created: true);
        }).Produces<SegmentResponse>(StatusCodes.Status201Created).ProducesValidationProblem();

        segments.MapPut("/{id}/router", async (string id, RouterRequest request, SegmentService service, ClaimsPrincipal user, CancellationToken ct) =>
        {
            var errors = new Validation.FieldErrors();
            if (SegmentRequestMapper.ToRouter(request, errors) is not { } router) return Invalid(errors);
            return ToResult(await service.SetRouterAsync(id, router, UserName(user), ct));
        }).Produces<SegmentResponse>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        segments.MapPut("/{id}/encryption", async (string id, EncryptionRequest request, SegmentService service, ClaimsPrincipal user, CancellationToken ct) =>
        {
            var errors = new Validation.FieldErrors();
            var encryption = SegmentRequestMapper.ToEncryption(request.Encryption, errors);
            if (errors.Any) return Invalid(errors);
            return ToResult(await service.SetEncryptionAsync(id, encryption, UserName(user), ct));
        }).Produces<SegmentResponse>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        segments.MapDelete("/{id}/router", async (string id, SegmentService service, ClaimsPrincipal user, CancellationToken ct) =>
            ToResult(await service.SetRouterAsync(id, null, UserName(user), ct)))
            .Produces<SegmentResponse>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        segments.MapPost("/{id}/attachments", async (string id, AttachmentRequest request, SegmentService service, ClaimsPrincipal user, CancellationToken ct) =>
        {
            var errors = new Validation.FieldErrors();
            if (string.IsNullOrEmpty(request.HostId)) errors.Add("hostId", "hostId is required");
            if (string.IsNullOrEmpty(request.Container)) errors.Add("container", "container is required");
            if (errors.Any) return Invalid(errors);
            return ToResult(await service.AttachAsync(id, new AttachmentSpec(request.HostId!, request.Container!), UserName(user), ct));
        }).Produces<SegmentResponse>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        segments.MapDelete("/{id}/attachments/{hostId}/{container}", async (string id, string hostId, string container, SegmentService service, ClaimsPrincipal user, CancellationToken ct) =>
            ToResult(await service.DetachAsync(id, new HostId(hostId), container, UserName(user), ct)))
            .Produces<SegmentResponse>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        // Uplinks change what is wanted; the next apply runs the change (GET /{id}/plan previews it).
        segments.MapPost("/{id}/uplinks", async (string id, UplinkRequest request, SegmentService service, ClaimsPrincipal user, CancellationToken ct) =>
        {
            var errors = new Validation.FieldErrors();
            if (SegmentRequestMapper.ToUplink(request, errors) is not { } uplink) return Invalid(errors);
            return ToResult(await service.AddUplinkAsync(id, uplink, UserName(user), ct));
        }).Produces<SegmentResponse>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        segments.MapDelete("/{id}/uplinks/{hostId}/{nic}", async (string id, string hostId, string nic, SegmentService service, ClaimsPrincipal user, CancellationToken ct) =>
            ToResult(await service.RemoveUplinkAsync(id, new UplinkSpec(hostId, nic), UserName(user), ct)))
            .Produces<SegmentResponse>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        segments.MapGet("/{id}/plan", async (string id, bool? teardown, SegmentService service, ClaimsPrincipal user, CancellationToken ct) =>
        {
            var kind = teardown == true ? SegmentOperationKind.Teardown : SegmentOperationKind.Apply;
            var preview = await service.PreviewAsync(id, kind, UserName(user), ct);
            if (preview.NotFound) return Results.NotFound();
            return preview.Value is { } p
                ? Results.Ok(PlanResponse.From(p.Plan, p.Operation?.Kind ?? kind))
                : Results.ValidationProblem(ToDictionary(preview.Errors), title: "The segment cannot be planned");
        }).Produces<PlanResponse>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        segments.MapPost("/{id}/apply", async (string id, [FromBody(EmptyBodyBehavior = Microsoft.AspNetCore.Mvc.ModelBinding.EmptyBodyBehavior.Allow)] ApplyRequest? request,
            SegmentService service, ClaimsPrincipal user, CancellationToken ct) =>
            await Start(await service.StartApplyAsync(id, UserName(user), request?.PlanFingerprint, CancellationToken.None), service, ct))
            .Produces<OperationResponse>(StatusCodes.Status202Accepted).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        // A key is shared by two hosts (a link's ends, or two VXLAN members): named by them, in either order.
        segments.MapGet("/{id}/links/{hostA}/{hostB}/rotate-key/plan", async (string id, string hostA, string hostB, SegmentService service, ClaimsPrincipal user, CancellationToken ct) =>
        {
            var preview = await service.PreviewKeyRotationAsync(id, new HostId(hostA), new HostId(hostB), UserName(user), ct);
            if (preview.NotFound) return Results.NotFound();
            return preview.Value is { } p
                ? Results.Ok(PlanResponse.From(p.Plan, SegmentOperationKind.RotateKey))
                : Results.ValidationProblem(ToDictionary(preview.Errors), title: "The key cannot be rotated");
        }).Produces<PlanResponse>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        segments.MapPost("/{id}/links/{hostA}/{hostB}/rotate-key", async (string id, string hostA, string hostB,
            [FromBody(EmptyBodyBehavior = Microsoft.AspNetCore.Mvc.ModelBinding.EmptyBodyBehavior.Allow)] ApplyRequest? request,
            SegmentService service, ClaimsPrincipal user, CancellationToken ct) =>
            await Start(await service.StartKeyRotationAsync(id, new HostId(hostA), new HostId(hostB), UserName(user), request?.PlanFingerprint, CancellationToken.None), service, ct))
            .Produces<OperationResponse>(StatusCodes.Status202Accepted).ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        segments.MapDelete("/{id}", async (string id, SegmentService service, ClaimsPrincipal user, CancellationToken ct) =>
            await Start(await service.StartTeardownAsync(id, UserName(user), cancellationToken: CancellationToken.None), service, ct))
            .Produces<OperationResponse>(StatusCodes.Status202Accepted).ProducesProblem(StatusCodes.Status404NotFound);

        return api;
    }

    internal static string UserName(ClaimsPrincipal user) => user.Identity?.Name ?? "api";

    /// <summary>202 with the operation; 409 with the new plan when the plan the caller previewed is not the one that would run.</summary>
    private static async Task<IResult> Start(Outcome<OperationRecord> started, SegmentService service, CancellationToken ct)
    {
        if (started.NotFound) return Results.NotFound();
        if (started.Value is not { } operation) return Results.ValidationProblem(ToDictionary(started.Errors), title: "The operation was refused");
        var planned = await service.WaitPlannedAsync(operation.Id, PlanCheckWait, ct) ?? operation;
        if (planned.Result is { PlanChanged: true, Plan: { } plan })
        {
            return Results.Problem(planned.Error, statusCode: StatusCodes.Status409Conflict, title: "The plan changed since it was previewed",
                extensions: new Dictionary<string, object?> { ["operation"] = OperationResponse.From(planned), ["plan"] = PlanResponse.From(plan, planned.Kind) });
        }
        return Results.Accepted($"/api/operations/{operation.Id}", OperationResponse.From(planned));
    }

    private static IResult Invalid(Validation.FieldErrors errors) => Results.ValidationProblem(errors.ToDictionary(), title: "The segment was not changed");

    private static IResult ToResult(Outcome<SegmentRecord> outcome, bool created = false)
    {
        if (outcome.NotFound) return Results.NotFound();
        if (outcome.Value is not { } record) return Results.ValidationProblem(ToDictionary(outcome.Errors), title: "The segment was not changed");
        var body = SegmentResponse.From(record);
        return created ? Results.Created($"/api/segments/{record.Id}", body) : Results.Ok(body);
    }

    internal static Dictionary<string, string[]> ToDictionary(IEnumerable<ValidationError> errors) =>
        errors.GroupBy(e => e.Path).ToDictionary(g => g.Key, g => g.Select(e => e.Message).Distinct().ToArray());
}
