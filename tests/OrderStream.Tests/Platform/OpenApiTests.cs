using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json.Linq;
using OrderStream.BuildingBlocks.Web;
using OrderStream.Tests.TestKit;
using Snapshooter.Xunit;
using Xunit;

namespace OrderStream.Tests.Platform;

public sealed class OpenApiTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task The_openapi_document_matches_its_snapshot()
    {
        var json = await api.CreateClient().GetStringAsync("/openapi/v1.json");
        Snapshot.Match(JToken.Parse(json));
    }

    /// <summary>
    /// A generated client sends and reads what the document says: each operation's body and answer schemas must have
    /// exactly the fields of the types the endpoint reads and writes (before issue #20, 22 operations pointed at one
    /// shared 'Body' or 'Command' schema, so a generated client sent the wrong fields).
    /// </summary>
    [Fact]
    public async Task Every_body_and_answer_in_the_document_has_the_fields_of_its_type()
    {
        var (schemas, operations) = await DocumentAsync();
        var wrong = new List<string>();
        var checkedTypes = 0;
        foreach (var (name, metadata) in Endpoints())
        {
            if (!operations.TryGetValue(name, out var operation))
                continue;
            var request = metadata.GetMetadata<IAcceptsMetadata>()?.RequestType;
            if (request is not null && request != typeof(string))
                Compare($"{name} body", operation["requestBody"]?["content"]?["application/json"]?["schema"], request);
            foreach (var answer in metadata.GetOrderedMetadata<IProducesResponseTypeMetadata>())
                if (answer.Type is { } type && type != typeof(void) && answer.StatusCode < 300)
                    Compare(
                        $"{name} {answer.StatusCode}",
                        operation["responses"]
                            ?[answer.StatusCode.ToString()]
                            ?["content"]
                            ?["application/json"]
                            ?["schema"],
                        type
                    );
        }
        Assert.True(checkedTypes > 100, $"only {checkedTypes} bodies and answers checked");
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
        Assert.DoesNotContain(schemas, s => Bare.Contains(s.Key));

        void Compare(string what, JsonNode? schema, Type type)
        {
            if (type != typeof(string) && type.GetInterface("IEnumerable`1") is { } list)
                (type, schema) = (list.GetGenericArguments()[0], schema?["items"]);
            // An optional body is "null or the type".
            var reference = (string?)(
                schema?["$ref"]
                ?? schema?["oneOf"]?.AsArray().Select(o => o!["$ref"]).FirstOrDefault(r => r is not null)
            );
            IEnumerable<string> documented = reference is null
                ? []
                : (schemas[reference.Split('/')[^1]]!["properties"]?.AsObject().Select(p => p.Key) ?? []).Order();
            var actual = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.Name != "EqualityContract" && p.GetCustomAttribute<JsonIgnoreAttribute>() is null)
                .Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name))
                .Order();
            checkedTypes++;
            if (!documented.SequenceEqual(actual))
                wrong.Add(
                    $"{what}: the document says {{{string.Join(", ", documented)}}}, the type has "
                        + $"{{{string.Join(", ", actual)}}}"
                );
        }
    }

    /// <summary>
    /// What a generator and a reader need of every operation (issue #20): a summary, a tag, a security statement that
    /// matches the endpoint (and its secure features in <c>x-required-features</c>), <c>If-Match</c> where the
    /// endpoint takes it, and its error answers as problem details.
    /// </summary>
    [Fact]
    public async Task Every_operation_says_what_it_needs_and_how_it_fails()
    {
        var (_, operations) = await DocumentAsync();
        var wrong = new List<string>();
        var endpoints = Endpoints().ToList();
        Assert.Equal(endpoints.Count, operations.Count);
        foreach (var (name, metadata) in endpoints)
        {
            var operation = operations[name];
            var responses = operation["responses"]!.AsObject();
            var anonymous = metadata.GetMetadata<IAllowAnonymous>() is not null;
            var token = !anonymous && metadata.GetMetadata<IAuthorizeData>() is not null;
            var features = metadata.GetMetadata<RequiredFeatures>()?.Codes ?? [];
            Require(!string.IsNullOrWhiteSpace((string?)operation["summary"]), "a summary");
            Require(operation["tags"]?.AsArray().Count == 1, "one tag");
            var security = operation["security"]?.AsArray();
            Require(
                security is { Count: 1 } && (security[0]!.AsObject().ContainsKey("bearer") == token),
                token ? "the bearer scheme" : "an empty security requirement (no token)"
            );
            Require(
                (operation["x-required-features"]?.AsArray().Select(f => (string)f!) ?? []).SequenceEqual(features),
                $"x-required-features [{string.Join(", ", features)}]"
            );
            var ifMatch = metadata.GetMetadata<AcceptsIfMatch>() is not null;
            Require(
                ifMatch == operation["parameters"]?.AsArray().Any(p => (string?)p!["name"] == "If-Match"),
                ifMatch ? "an If-Match parameter" : "no If-Match parameter"
            );
            var errors = new List<string> { "400", "404", "503" };
            if (token)
                errors.AddRange(["401", "403"]);
            if (ifMatch)
                errors.Add("412");
            foreach (var status in errors)
                Require(
                    responses[status]?["content"]?["application/problem+json"]?["schema"]?["$ref"] is not null,
                    $"a {status} answer with problem details"
                );
            Require(
                ((string?)responses["400"]?["content"]?["application/problem+json"]?["schema"]?["$ref"])?.EndsWith(
                    "HttpValidationProblemDetails"
                ) == true,
                "a 400 answer that lists the fields' errors"
            );

            void Require(bool holds, string what)
            {
                if (!holds)
                    wrong.Add($"{name} lacks {what}");
            }
        }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    private static readonly HashSet<string> Bare = ["Body", "Command", "Query", "Result", "Response", "Save"];

    private async Task<(JsonObject Schemas, Dictionary<string, JsonNode> Operations)> DocumentAsync()
    {
        var document = JsonNode.Parse(await api.CreateClient().GetStringAsync("/openapi/v1.json"))!;
        return (
            document["components"]!["schemas"]!.AsObject(),
            document["paths"]!
                .AsObject()
                .SelectMany(p => p.Value!.AsObject())
                .ToDictionary(o => (string)o.Value!["operationId"]!, o => o.Value!)
        );
    }

    private IEnumerable<(string Name, EndpointMetadataCollection Metadata)> Endpoints() =>
        api
            .Services.GetRequiredService<EndpointDataSource>()
            .Endpoints.Where(e => e.Metadata.GetMetadata<IEndpointNameMetadata>() is not null)
            .Where(e => ((RouteEndpoint)e).RoutePattern.RawText?.StartsWith("/api/") == true)
            .Select(e => (e.Metadata.GetMetadata<IEndpointNameMetadata>()!.EndpointName, e.Metadata));

    /// <summary>
    /// The typed client is generated by its build from <c>src/Client/OrderStream.Client/openapi.json</c>: that file
    /// must be the document the service serves, or the client drifts. <c>UPDATE_OPENAPI=1</c> rewrites it.
    /// </summary>
    [Fact]
    public async Task The_client_is_generated_from_the_document_the_service_serves()
    {
        var served = JsonNode.Parse(await api.CreateClient().GetStringAsync("/openapi/v1.json"))!;
        await AssertCommitted(served, Path.Combine(Repository.Root, "src", "Client", "OrderStream.Client"));
    }

    /// <summary>
    /// The console's client is generated from the served document cut to the operations it calls (its
    /// <c>Api/operations.txt</c>) and the schemas they reach: a smaller download, the same contract.
    /// </summary>
    [Fact]
    public async Task The_console_client_is_generated_from_the_served_document_cut_to_its_operations()
    {
        var directory = Path.Combine(Repository.Root, "src", "AdminConsole", "OrderStream.AdminConsole", "Api");
        var wanted = (await File.ReadAllLinesAsync(Path.Combine(directory, "operations.txt")))
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .ToHashSet();
        var served = JsonNode.Parse(await api.CreateClient().GetStringAsync("/openapi/v1.json"))!;
        var cut = CutToOperations(served, wanted);

        Assert.Equal(wanted.Order(), OperationIds(cut).Order());
        Assert.True(OperationIds(served).Count() > OperationIds(cut).Count());
        await AssertCommitted(cut, directory);
    }

    private static async Task AssertCommitted(JsonNode served, string directory)
    {
        var path = Path.Combine(directory, "openapi.json");
        if (Environment.GetEnvironmentVariable("UPDATE_OPENAPI") == "1")
            await File.WriteAllTextAsync(path, served.ToJsonString(Indented) + "\n");
        var committed = JsonNode.Parse(await File.ReadAllTextAsync(path))!;
        Assert.True(
            JsonNode.DeepEquals(served, committed),
            $"{path} differs from the served document: run the tests with UPDATE_OPENAPI=1, rebuild and commit."
        );
    }

    private static IEnumerable<string> OperationIds(JsonNode document) =>
        document["paths"]!
            .AsObject()
            .SelectMany(path => path.Value!.AsObject())
            .Select(operation => operation.Value?["operationId"]?.GetValue<string>())
            .OfType<string>();

    /// <summary>Keeps the operations named and every schema they reach, directly or through other schemas.</summary>
    private static JsonNode CutToOperations(JsonNode served, IReadOnlySet<string> operationIds)
    {
        var document = served.DeepClone();
        var paths = document["paths"]!.AsObject();
        foreach (var (route, item) in paths.ToList())
        {
            var operations = item!.AsObject();
            foreach (var (method, operation) in operations.ToList())
                if (operation?["operationId"]?.GetValue<string>() is { } id && !operationIds.Contains(id))
                    operations.Remove(method);
            if (!operations.Any(operation => operation.Value?["operationId"] is not null))
                paths.Remove(route);
        }
        var schemas = document["components"]!["schemas"]!.AsObject();
        var reached = new HashSet<string>();
        var pending = new Stack<JsonNode?>([paths]);
        while (pending.TryPop(out var node))
            switch (node)
            {
                case JsonObject obj:
                    foreach (var (key, value) in obj)
                        if (key == "$ref" && value!.GetValue<string>() is var reference)
                        {
                            var name = reference["#/components/schemas/".Length..];
                            if (reached.Add(name))
                                pending.Push(schemas[name]);
                        }
                        else
                            pending.Push(value);
                    break;
                case JsonArray array:
                    foreach (var value in array)
                        pending.Push(value);
                    break;
            }
        foreach (var name in schemas.Select(schema => schema.Key).Where(name => !reached.Contains(name)).ToList())
            schemas.Remove(name);
        return document;
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    [Fact]
    public async Task The_interactive_reference_is_served()
    {
        var response = await api.CreateClient().GetAsync("/scalar");
        Assert.True(response.IsSuccessStatusCode || (int)response.StatusCode is 301 or 302, $"{response.StatusCode}");
    }
}
