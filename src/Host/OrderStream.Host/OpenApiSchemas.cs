using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json.Serialization.Metadata;
using FluentValidation;
using FluentValidation.Validators;
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
            "Row" => slice.Name + "Row",
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

    /// <summary>
    /// What the generator leaves loose: numbers also typed as strings (the service reads both, answers numbers), enum
    /// schemas without a type and with <c>null</c> among their values (nullability belongs to the property), and
    /// nullable properties listed as required (a client may leave them out, and need not expect them).
    /// </summary>
    public static Task Tighten(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken _)
    {
        if (
            schema.Type is { } type
            && (type & (JsonSchemaType.Integer | JsonSchemaType.Number)) != 0
            && (type & JsonSchemaType.String) != 0
        )
        {
            schema.Type = type & ~JsonSchemaType.String;
            schema.Pattern = null;
        }
        // Money and prices: a generated client must not read them into binary floating point.
        if (context.JsonTypeInfo.Type == typeof(decimal) || context.JsonTypeInfo.Type == typeof(decimal?))
            schema.Format = "decimal";
        if (schema.Enum is { Count: > 0 } values)
        {
            schema.Type = JsonSchemaType.String;
            schema.Enum = [.. values.Where(v => v is not null)];
        }
        if (schema.Required is { Count: > 0 } required && schema.Properties is { } properties)
        {
            foreach (var (name, property) in properties)
                if (Nullable(property))
                    required.Remove(name);
            // A nullable enum or record is wrapped in "null or the type" only after this transformer has run.
            foreach (var property in context.JsonTypeInfo.Properties)
                if (
                    System.Nullable.GetUnderlyingType(property.PropertyType) is not null
                    || !property.PropertyType.IsValueType && property.IsGetNullable
                )
                    required.Remove(property.Name);
        }
        if (IsRequest(context.JsonTypeInfo.Type) && schema.Properties is { Count: > 0 })
            foreach (var property in context.JsonTypeInfo.Properties)
                if (
                    property.AttributeProvider is MemberInfo member
                    && RequiredByValidators(context.JsonTypeInfo.Type.DeclaringType!, context.ApplicationServices)
                        .Contains(member.Name)
                )
                    (schema.Required ??= new HashSet<string>()).Add(property.Name);
        return Task.CompletedTask;
    }

    private static bool IsRequest(Type type) =>
        type.DeclaringType is { IsAbstract: true, IsSealed: true }
        && type.Name is "Body" or "Command" or "Query" or "Save";

    /// <summary>
    /// The members a slice's validators require without a condition (<c>NotNull</c>, <c>NotEmpty</c>): the request's
    /// schema says so, since a body without them is refused whatever its types allow.
    /// </summary>
    private static HashSet<string> RequiredByValidators(Type slice, IServiceProvider services) =>
        RequiredMembers.GetOrAdd(slice, _ =>
        {
            using var scope = services.CreateScope();
            return
            [
                .. slice
                    .GetNestedTypes(BindingFlags.Public | BindingFlags.NonPublic)
                    .Where(t => !t.IsAbstract && !t.IsGenericTypeDefinition && typeof(IValidator).IsAssignableFrom(t))
                    .Select(t => (IValidator)ActivatorUtilities.CreateInstance(scope.ServiceProvider, t))
                    .SelectMany(v => v.CreateDescriptor().Rules)
                    .Where(r =>
                        r.PropertyName is not null
                        && !r.HasCondition
                        && !r.HasAsyncCondition
                        && r.Components.Any(c =>
                            c.Validator is INotNullValidator or INotEmptyValidator
                            && !c.HasCondition
                            && !c.HasAsyncCondition
                        )
                    )
                    .Select(r => r.PropertyName!),
            ];
        });

    private static readonly ConcurrentDictionary<Type, HashSet<string>> RequiredMembers = new();

    private static bool Nullable(IOpenApiSchema schema) =>
        schema.Type is { } type && (type & JsonSchemaType.Null) != 0
        || schema.OneOf?.Any(s => s.Type == JsonSchemaType.Null) == true
        || schema.AnyOf?.Any(s => s.Type == JsonSchemaType.Null) == true;
}
