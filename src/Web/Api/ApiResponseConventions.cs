using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace Superbridge.Web.Api;

/// <summary>OpenAPI response metadata every API route shares, so the document lists the errors the API really gives.</summary>
public static class ApiResponseConventions
{
    private static readonly string[] ProblemJson = ["application/problem+json"];

    /// <summary>401 on every route; 400 (naming fields) and 413 on every route that binds a JSON body.</summary>
    public static TBuilder ProducesApiErrors<TBuilder>(this TBuilder api) where TBuilder : IEndpointConventionBuilder
    {
        api.WithMetadata(new ProducesResponseTypeMetadata(StatusCodes.Status401Unauthorized, typeof(ProblemDetails), ProblemJson));
        // Finally: a route's body parameter is known only once the route itself has been built.
        api.Finally(endpoint =>
        {
            if (!endpoint.Metadata.OfType<IAcceptsMetadata>().Any()) return;
            endpoint.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status400BadRequest, typeof(HttpValidationProblemDetails), ProblemJson));
            endpoint.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status413PayloadTooLarge, typeof(HttpValidationProblemDetails), ProblemJson));
        });
        return api;
    }
}
