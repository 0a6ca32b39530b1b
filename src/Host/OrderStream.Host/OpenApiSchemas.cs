using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace OrderStream.Host;

/// <summary>How the OpenAPI document names and describes the service's types (issue #20).</summary>
internal static class OpenApiSchemas
{
    /// <summary>
    /// A schema is named after its slice: every slice nests its own <c>Body</c>, <c>Command</c> or <c>Result</c>, and
    /// the generator, naming a schema after the short type name, would let them overwrite each other. So a request of
    /// slice <c>AddUserStore</c> is <c>AddUserStoreRequest</c> and its answer <c>AddUserStoreResponse</c>; another type
    /// nested in a slice keeps its name unless a type elsewhere has the same one (then <c>{Slice}{Name}</c>).
    /// </summary>
    public static string? ReferenceId(JsonTypeInfo info)
    {
        var id = OpenApiOptions.CreateDefaultSchemaReferenceId(info);
        if (id is null || info.Type.DeclaringType is not { IsAbstract: true, IsSealed: true } slice)
            return id;
        return info.Type.Name switch
        {
            "Body" or "Command" or "Query" or "Save" => slice.Name + "Request",
            "Response" or "Result" => slice.Name + "Response",
            var name when Ambiguous.Value.Contains(name) => slice.Name + name,
            _ => id,
        };
    }

    /// <summary>Names that more than one type of the modules bears.</summary>
    private static readonly Lazy<HashSet<string>> Ambiguous = new(() =>
        [
            .. Modules
                .Assemblies.Append(typeof(BuildingBlocks.Web.PagedList<>).Assembly)
                .SelectMany(a => a.GetTypes())
                .Where(t => !t.IsGenericTypeDefinition && !t.Name.Contains('<'))
                .GroupBy(t => t.Name)
                .Where(g => g.Count() > 1)
                .Select(g => g.Key),
        ]
    );

    /// <summary>
    /// The schema of an instant: the UTC converter of request bodies hides it from the generator, which leaves a schema
    /// blank for any type with a custom converter (dotnet/aspnetcore#63051).
    /// </summary>
    public static Task Instants(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken _)
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
