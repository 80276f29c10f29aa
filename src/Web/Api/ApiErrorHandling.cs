using Microsoft.AspNetCore.Http.Features;

namespace Superbridge.Web.Api;

/// <summary>
/// Every failure under <c>/api</c> answers problem+json: unreadable bodies name the field, and unknown routes,
/// wrong methods, missing tokens and crashes never fall through to an HTML page.
/// </summary>
public static class ApiErrorHandling
{
    public static IServiceCollection AddApiErrorHandling(this IServiceCollection services)
    {
        services.AddProblemDetails();
        // Binding failures become exceptions carrying the serializer's JsonException (and its path) instead of a bare 400.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        return services;
    }

    public static IApplicationBuilder UseApiErrorHandling(this IApplicationBuilder app) => app.UseWhen(
        context => context.Request.Path.StartsWithSegments("/api"),
        api =>
        {
            api.UseExceptionHandler(new ExceptionHandlerOptions
            {
                ExceptionHandler = ApiProblems.WriteForExceptionAsync,
                // A client's bad request is answered, not logged as a server error.
                SuppressDiagnosticsCallback = context => context.Exception is BadHttpRequestException,
            });
            // Empty error answers (no route, wrong method, no token, a body cut off by the server's size limit) get a problem.
            api.UseStatusCodePages(context => (context.HttpContext.Response.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? ApiProblems.BodyTooLarge()
                : Results.Problem(statusCode: context.HttpContext.Response.StatusCode)).ExecuteAsync(context.HttpContext));
            api.Use(LimitBodySize);
        });

    /// <summary>Adds the null-list-element check to every route of <paramref name="api"/> that binds a JSON body.</summary>
    public static TBuilder RefuseNullListElements<TBuilder>(this TBuilder api) where TBuilder : IEndpointConventionBuilder =>
        api.AddEndpointFilter(NullListElementFilter.InvokeAsync);

    private static Task LimitBodySize(HttpContext context, RequestDelegate next)
    {
        if (context.Request.ContentLength > ApiProblems.MaxBodyBytes) return ApiProblems.BodyTooLarge().ExecuteAsync(context);
        // Bodies sent without a length are cut off by the server while they are read.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = ApiProblems.MaxBodyBytes;
        return next(context);
    }
}
