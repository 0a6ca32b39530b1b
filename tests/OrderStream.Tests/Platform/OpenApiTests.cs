using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json.Linq;
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
    /// A generated client sends what the document says: each operation's body schema must have exactly the fields of
    /// the type the endpoint reads (before issue #20, 22 operations pointed at one shared 'Body' or 'Command' schema).
    /// </summary>
    [Fact]
    public async Task Every_request_body_in_the_document_has_the_fields_of_the_type_the_endpoint_reads()
    {
        var document = JsonNode.Parse(await api.CreateClient().GetStringAsync("/openapi/v1.json"))!;
        var schemas = document["components"]!["schemas"]!.AsObject();
        var operations = document["paths"]!
            .AsObject()
            .SelectMany(p => p.Value!.AsObject())
            .ToDictionary(o => (string)o.Value!["operationId"]!, o => o.Value!);
        var wrong = new List<string>();
        var checkedBodies = 0;
        foreach (var endpoint in api.Services.GetRequiredService<EndpointDataSource>().Endpoints)
        {
            var (name, type) = (
                endpoint.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName,
                endpoint.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType
            );
            if (
                name is null
                || type is null
                || type == typeof(string)
                || !operations.TryGetValue(name, out var operation)
            )
                continue;
            var schema = operation["requestBody"]?["content"]?["application/json"]?["schema"];
            // An optional body is "null or the type".
            var reference = (string?)(
                schema?["$ref"]
                ?? schema?["oneOf"]?.AsArray().Select(o => o!["$ref"]).FirstOrDefault(r => r is not null)
            );
            IEnumerable<string> documented = reference is null
                ? []
                : schemas[reference.Split('/')[^1]]!["properties"]!.AsObject().Select(p => p.Key).Order();
            var read = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.Name != "EqualityContract")
                .Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name))
                .Order();
            checkedBodies++;
            if (!documented.SequenceEqual(read))
                wrong.Add(
                    $"{name}: the document says {{{string.Join(", ", documented)}}}, the endpoint reads "
                        + $"{{{string.Join(", ", read)}}}"
                );
        }
        Assert.True(checkedBodies > 40, $"only {checkedBodies} bodies checked");
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
        Assert.DoesNotContain(schemas, s =>
            s.Key is "Body" or "Command" or "Query" or "Result" or "Response" or "Save"
        );
    }

    [Fact]
    public async Task The_interactive_reference_is_served()
    {
        var response = await api.CreateClient().GetAsync("/scalar");
        Assert.True(response.IsSuccessStatusCode || (int)response.StatusCode is 301 or 302, $"{response.StatusCode}");
    }
}
