using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.OpenApi;
using OrderStream.BuildingBlocks.Web;

namespace OrderStream.Host;

/// <summary>
/// What the OpenAPI document says beyond the types (issue #20, ADR 0025): the service's conventions, the bearer scheme,
/// and for each operation its token, secure features, tenant, <c>If-Match</c>, <c>ETag</c> and error answers, read
/// from the endpoint's metadata so that they cannot drift from what the endpoint does.
/// </summary>
internal static class OpenApiOperations
{
    public const string Bearer = "bearer";

    private const string Conventions = """
        The access back office of OrderStream: users, roles and secure features, sale points and stores, licenses and
        billing, and decisions on "may this user do this, here?", now or as of any past instant.

        - **Tenant in the route**: every path starts with `/api/tenants/{tenant}`, the host company's code. A token is
          good only in the tenant that issued it.
        - **Tokens**: `POST .../auth/login` answers a web office token, `POST .../auth/pos-login` a POS token; send
          it as `Authorization: Bearer <token>`. A POS token is good only where an operation says so.
        - **Secure features**: each operation names the features it requires (`x-required-features`); without one of
          them it answers 403.
        - **ETags**: a versioned resource answers with an `ETag`; send it back as `If-Match` when changing it, and a
          change made by someone else since answers 412 instead of being overwritten.
        - **Errors** are RFC 9457 problem details (`application/problem+json`); a validation problem lists each field's
          messages under `errors`. 503 means the database is unreachable: try again.
        - **Paging**: lists take `page` (from 1) and `pageSize`, and answer `items`, `total`, `page`, `pageSize`.
        - **Time travel**: decisions and effective permissions take `asOf`, an instant with an offset, and answer as
          of that moment.
        """;

    public static Task DescribeService(
        OpenApiDocument document,
        OpenApiDocumentTransformerContext _,
        CancellationToken __
    )
    {
        document.Info = new OpenApiInfo
        {
            Title = "OrderStream API",
            Version = "1.0",
            Description = Conventions,
        };
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[Bearer] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "A token from `POST /api/tenants/{tenant}/auth/login` or `.../auth/pos-login`.",
        };
        return Task.CompletedTask;
    }

    public static async Task DescribeOperation(
        OpenApiOperation operation,
        OpenApiOperationTransformerContext context,
        CancellationToken ct
    )
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var method = context.Description.HttpMethod ?? "GET";
        var path = context.Description.RelativePath ?? "";
        var token = !metadata.OfType<IAllowAnonymous>().Any() && metadata.OfType<IAuthorizeData>().Any();
        var features = metadata.OfType<RequiredFeatures>().LastOrDefault()?.Codes ?? [];
        var notes = new List<string>();

        // An empty requirement says "no token", which generators and the reference read as anonymous.
        operation.Security =
        [
            token
                ? new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Bearer, context.Document)] = [] }
                : new OpenApiSecurityRequirement(),
        ];
        notes.Add(
            !token ? "Needs no token."
            : metadata.OfType<PosTokensAccepted>().Any()
                ? "Needs a token: a web office token, or a POS token for its own user at its own sale point."
            : "Needs a web office token."
        );
        if (features.Count > 0)
        {
            notes.Add($"Requires the secure feature {string.Join(" or ", features.Select(f => $"`{f}`"))}.");
            operation.Extensions ??= new Dictionary<string, IOpenApiExtension>();
            operation.Extensions["x-required-features"] = new JsonNodeExtension(
                new JsonArray([.. features.Select(f => JsonValue.Create(f))])
            );
        }
        operation.Description = string.Join(
            "\n\n",
            new[] { operation.Description, string.Join(" ", notes) }.Where(d => !string.IsNullOrEmpty(d))
        );

        operation.Parameters ??= [];
        if (path.Contains("{tenant}") && !operation.Parameters.Any(p => p.Name == "tenant"))
            operation.Parameters.Insert(0, new OpenApiParameter { Name = "tenant", In = ParameterLocation.Path });
        foreach (var parameter in operation.Parameters.OfType<OpenApiParameter>())
            Describe(parameter);
        var ifMatch = metadata.OfType<AcceptsIfMatch>().Any();
        if (ifMatch)
            operation.Parameters.Add(
                new OpenApiParameter
                {
                    Name = "If-Match",
                    In = ParameterLocation.Header,
                    Description = "The `ETag` you read: the change is refused (412) if the resource changed since.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                }
            );

        operation.Responses ??= [];
        if (operation.Parameters.Any(p => p.Name == "format"))
            foreach (var ok in operation.Responses.Where(r => r.Key == "200").Select(r => r.Value))
                ok.Content?.TryAdd(
                    "text/csv",
                    new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String } }
                );
        if (metadata.OfType<AnswersWithETag>().Any())
            foreach (var answer in operation.Responses.Where(r => r.Key[0] == '2').Select(r => r.Value))
                if (answer is OpenApiResponse response)
                {
                    response.Headers ??= new Dictionary<string, IOpenApiHeader>();
                    response.Headers["ETag"] = new OpenApiHeader
                    {
                        Description = "The resource's version: send it back as `If-Match` when changing it.",
                        Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                    };
                }

        var problem = await ProblemSchemaAsync(typeof(ProblemDetails), context, ct);
        var validation = await ProblemSchemaAsync(typeof(HttpValidationProblemDetails), context, ct);
        Problem("400", "The request is invalid: `errors` names each field and what is wrong with it.", validation);
        if (token)
        {
            Problem("401", "No token, or a token that is expired, forged, of another tenant or of an inactive user.");
            Problem("403", "The caller may not do this: the problem's `detail` names the missing feature or the rule.");
        }
        if (path.Contains('{'))
            Problem("404", "The tenant, or a resource named in the path, does not exist.");
        if (method != "GET")
            Problem("409", "The change contradicts the current state: the problem's `detail` says how.");
        if (ifMatch)
            Problem("412", "The resource changed since the `ETag` sent as `If-Match`: read it again.");
        if (operation.RequestBody is not null)
            Problem("413", "The body is larger than this operation takes.");
        if (metadata.OfType<EnableRateLimitingAttribute>().Any() || operation.Responses.ContainsKey("429"))
            Problem("429", "Too many attempts: wait as long as `Retry-After` says.");
        Problem("503", "The database is unreachable: try again shortly.");

        void Problem(string status, string description, IOpenApiSchema? schema = null) =>
            operation.Responses[status] = new OpenApiResponse
            {
                Description = description,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/problem+json"] = new() { Schema = schema ?? problem },
                },
            };
    }

    private static void Describe(OpenApiParameter parameter)
    {
        switch (parameter.Name)
        {
            case "tenant":
                parameter.Required = true;
                parameter.Description = "The host company's code, e.g. `demo`.";
                parameter.Schema = new OpenApiSchema { Type = JsonSchemaType.String };
                break;
            case "month" when parameter.In == ParameterLocation.Path:
                parameter.Description = "A calendar month, `yyyy-MM`.";
                parameter.Schema = new OpenApiSchema
                {
                    Type = JsonSchemaType.String,
                    Pattern = @"^\d{4}-(0[1-9]|1[0-2])$",
                };
                break;
            case "asOf":
                parameter.Description = "Answer as of this instant (with an offset), instead of now.";
                break;
            case "page":
                parameter.Description = "The page, from 1.";
                break;
            case "pageSize":
                parameter.Description = "Items per page.";
                break;
            case "format":
                parameter.Description = "`json` (the default) or `csv`.";
                break;
        }
    }

    /// <summary>A problem type's schema as a component, so that every error answer refers to one definition.</summary>
    private static async Task<IOpenApiSchema> ProblemSchemaAsync(
        Type type,
        OpenApiOperationTransformerContext context,
        CancellationToken ct
    )
    {
        var document = context.Document!;
        if (document.Components?.Schemas?.ContainsKey(type.Name) != true)
            document.AddComponent(type.Name, await context.GetOrCreateSchemaAsync(type, null, ct));
        return new OpenApiSchemaReference(type.Name, document);
    }
}
