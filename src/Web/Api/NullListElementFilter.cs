using System.Collections;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;
using Superbridge.Web.Validation;

namespace Superbridge.Web.Api;

/// <summary>
/// Refuses a JSON body with <c>null</c> inside a list (<c>{"hostIds":[null]}</c>), naming the element (<c>hostIds[0]</c>).
/// The serializer accepts null elements of string lists, and every later step assumes there are none.
/// </summary>
internal static class NullListElementFilter
{
    public static async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var bodyType = invocation.HttpContext.GetEndpoint()?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType;
        if (bodyType is null || invocation.Arguments.FirstOrDefault(a => a?.GetType() == bodyType) is not { } body) return await next(invocation);

        var options = invocation.HttpContext.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var errors = new FieldErrors();
        Walk(body, options.GetTypeInfo(bodyType), "", errors);
        return errors.Any ? Results.ValidationProblem(errors.ToDictionary(), title: "The request body could not be read") : await next(invocation);
    }

    private static void Walk(object? value, JsonTypeInfo info, string path, FieldErrors errors)
    {
        if (value is null) return;
        if (info.Kind == JsonTypeInfoKind.Object)
        {
            foreach (var property in info.Properties)
            {
                if (property.Get is not { } get) continue;
                var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
                Walk(get(value), info.Options.GetTypeInfo(type), path.Length == 0 ? property.Name : $"{path}.{property.Name}", errors);
            }
        }
        else if (info is { Kind: JsonTypeInfoKind.Enumerable, ElementType: { } elementType } && value is IEnumerable items)
        {
            var index = 0;
            foreach (var item in items)
            {
                var at = $"{path}[{index++}]";
                if (item is null) errors.Add(at, $"must be {JsonShapes.Describe(elementType)}, not null");
                else Walk(item, info.Options.GetTypeInfo(Nullable.GetUnderlyingType(elementType) ?? elementType), at, errors);
            }
        }
    }
}
