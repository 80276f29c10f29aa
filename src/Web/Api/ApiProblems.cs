using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;
using Superbridge.Web.Validation;

namespace Superbridge.Web.Api;

/// <summary>The problem+json answers the API gives where no route handler chose one.</summary>
internal static class ApiProblems
{
    /// <summary>The field a refusal of the whole document is filed under.</summary>
    public const string Body = "body";

    public const long MaxBodyBytes = 1024 * 1024;

    public static IResult BodyTooLarge() => Results.ValidationProblem(
        new Dictionary<string, string[]> { [Body] = [$"must be at most {MaxBodyBytes} bytes"] },
        statusCode: StatusCodes.Status413PayloadTooLarge,
        title: "The request body is too large");

    /// <summary>For the exception handler of the API branch: what the client got wrong, or a 500 that shows nothing internal.</summary>
    public static Task WriteForExceptionAsync(HttpContext context)
    {
        var failure = context.Features.Get<IExceptionHandlerFeature>();
        var result = failure?.Error switch
        {
            BadHttpRequestException { InnerException: JsonException json } => UnreadableJson(context, failure.Endpoint, json),
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => BodyTooLarge(),
            BadHttpRequestException bad => Results.Problem(bad.Message, statusCode: bad.StatusCode),
            _ => Results.Problem("The request failed inside the dashboard; its log has the details.", statusCode: StatusCodes.Status500InternalServerError),
        };
        return result.ExecuteAsync(context);
    }

    /// <summary>Field path from the serializer's JSON path (<c>$.hostIds[0]</c> → <c>hostIds[0]</c>), with why it was refused.</summary>
    private static IResult UnreadableJson(HttpContext context, Endpoint? endpoint, JsonException json)
    {
        var errors = new FieldErrors();
        // The reader's own exception inside means the text is not JSON at all, whichever property it broke in.
        if (json.InnerException is JsonException syntax)
        {
            errors.Add(Body, $"is not valid JSON: {syntax.Message}");
        }
        else
        {
            var field = FieldOf(json.Path);
            // The handler runs with the endpoint cleared; the feature keeps the one that failed.
            var bodyType = endpoint?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType;
            var options = context.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
            errors.Add(field, field == Body || bodyType is null ? "must be a JSON object" : JsonShapes.Expected(options, bodyType, field));
        }
        return Results.ValidationProblem(errors.ToDictionary(), title: "The request body could not be read");
    }

    internal static string FieldOf(string? jsonPath) => jsonPath switch
    {
        null or "$" => Body,
        _ when jsonPath.StartsWith("$.", StringComparison.Ordinal) => jsonPath[2..],
        _ => jsonPath.TrimStart('$'),
    };
}
