using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace OrderStream.Host;

/// <summary>
/// The OpenAPI schema of an instant: the UTC converter of request bodies hides it from the generator, which leaves a
/// schema blank for any type with a custom converter (dotnet/aspnetcore#63051).
/// </summary>
internal static class InstantSchemas
{
    public static Task Transform(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken ct)
    {
        var type = context.JsonTypeInfo.Type;
        if (type == typeof(DateTimeOffset) || type == typeof(DateTimeOffset?))
        {
            // A property may be null; an optional query parameter is left out instead, as the generator writes it.
            var nullable = type == typeof(DateTimeOffset?) && context.JsonPropertyInfo is not null;
            schema.Type = nullable ? JsonSchemaType.Null | JsonSchemaType.String : JsonSchemaType.String;
            schema.Format = "date-time";
        }
        return Task.CompletedTask;
    }
}
