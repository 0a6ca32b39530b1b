using System.Net;
using System.Net.Http.Headers;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OrderStream.Tests.SalePoints;
using OrderStream.Tests.TestKit;
using Xunit;
using Xunit.Abstractions;

namespace OrderStream.Tests.Security;

/// <summary>
/// Issue #18, item 4: no client input may produce a 5xx. Walks every operation of the service's own OpenAPI document
/// and sends it malformed variants, as a System Administrator so that every check is passed and the input reaches the
/// handler: each field of the body wrong in type, null, with NUL or a lone surrogate, huge, an empty or unknown id, an
/// instant with an offset; whole bodies empty, broken, deeply nested, in odd content types and charsets; path and query
/// values bad in the same ways. A body's fields come from the endpoint's request type, since the document's body
/// schemas collide until issue #20. Deterministic, and bounded to <see cref="MaxVariants"/> variants an operation.
/// </summary>
public sealed class FuzzTests(ApiFactory api, ITestOutputHelper output) : IClassFixture<ApiFactory>
{
    private const int MaxVariants = 400;
    private const string Lone = "@@lone-surrogate@@";
    private static readonly string Huge = new('x', 50_000);

    private sealed record Variant(string What, string Path, string? Body, string? ContentType);

    private Dictionary<string, string> _ids = [];

    [Fact]
    public async Task No_malformed_variant_of_any_operation_gets_a_5xx()
    {
        var admin = await api.CreateTenantAsync();
        _ids = await IdsAsync(admin);
        var document = JsonNode.Parse(
            await (await admin.Http.GetAsync("/openapi/v1.json")).Content.ReadAsStringAsync()
        )!;
        var requestTypes = api
            .Services.GetRequiredService<EndpointDataSource>()
            .Endpoints.Select(e =>
                (
                    Name: e.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName,
                    Accepts: e.Metadata.GetMetadata<IAcceptsMetadata>()
                )
            )
            .Where(e => e.Name is not null)
            .GroupBy(e => e.Name!)
            .ToDictionary(g => g.Key, g => g.First().Accepts);
        var (sent, operations) = (0, 0);
        var failures = new List<string>();
        foreach (var (path, item) in document["paths"]!.AsObject())
        foreach (var (method, operation) in item!.AsObject())
        {
            operations++;
            var name = (string)operation!["operationId"]!;
            var accepts = requestTypes.GetValueOrDefault(name);
            foreach (
                var variant in Variants(path.Replace("{tenant}", admin.Tenant), operation, accepts).Take(MaxVariants)
            )
            {
                var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), variant.Path);
                if (variant.Body is not null)
                {
                    request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(variant.Body));
                    if (variant.ContentType is not null)
                        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(variant.ContentType);
                }
                using var response = await admin.Http.SendAsync(request);
                sent++;
                if ((int)response.StatusCode >= 500)
                {
                    var body = await response.Content.ReadAsStringAsync();
                    failures.Add(
                        $"{method.ToUpperInvariant()} {path} ({name}) {variant.What}: {(int)response.StatusCode} "
                            + $"{body[..Math.Min(200, body.Length)]}"
                    );
                }
            }
        }
        output.WriteLine($"{sent} requests over {operations} operations, {failures.Count} answered 5xx");
        Assert.True(operations > 80, $"only {operations} operations in the document");
        Assert.True(
            failures.Count == 0,
            $"{failures.Count} of {sent} requests answered 5xx:\n{string.Join("\n", failures.Take(60))}"
        );
    }

    /// <summary>
    /// Things for routes and bodies to name, so that variants reach past the lookup of what they change.
    /// </summary>
    private static async Task<Dictionary<string, string>> IdsAsync(TenantClient admin)
    {
        var user = (string)
            (await admin.CreateUserAsync(TenantClient.NewUser(login: "fuzz-target", password: "fuzz-password-1")))[
                "id"
            ]!;
        var role = (string)
            (
                await (
                    await admin.PostAsync("roles", TenantClient.RoleBody("Fuzz", ("can-move-stock", null)))
                ).ReadAsync()
            )["id"]!;
        var onlineStore = (string)
            (await (await admin.PostAsync("online-stores", new { code = "WEB", name = "Web" })).ReadAsync())["id"]!;
        await admin.PostAsync("licenses/purchase", new { count = 50 });
        var pool = await (
            await admin.PostAsync("licenses/link", new { userId = user, email = "fuzz@example.com" })
        ).ReadAsync();
        return new()
        {
            ["user"] = user,
            ["role"] = role,
            ["salePoint"] = await AssignmentTests.SalePointAsync(admin, "FZ1"),
            ["store"] = await AssignmentTests.StoreAsync(admin, "FZS"),
            ["onlineStore"] = onlineStore,
            ["license"] = (string)pool["licenses"]!.AsArray().First(l => (string?)l!["userId"] == user)!["id"]!,
        };
    }

    private string IdFor(string name)
    {
        var key = name.ToLowerInvariant();
        return key.Contains("role") ? _ids["role"]
            : key.Contains("salepoint") ? _ids["salePoint"]
            : key.Contains("onlinestore") ? _ids["onlineStore"]
            : key.Contains("store") ? _ids["store"]
            : key.Contains("license") ? _ids["license"]
            : _ids["user"];
    }

    private IEnumerable<Variant> Variants(string path, JsonNode operation, IAcceptsMetadata? accepts)
    {
        var parameters = operation["parameters"]?.AsArray().Select(p => p!.AsObject()).ToList() ?? [];
        var routeValues = parameters
            .Where(p => (string)p["in"]! == "path")
            .ToDictionary(p => (string)p["name"]!, p => ValidRouteValue(path, p));
        string Route(string? bad = null, string? value = null) =>
            routeValues.Aggregate(path, (at, p) => at.Replace($"{{{p.Key}}}", p.Key == bad ? value! : p.Value));
        var queries = parameters.Where(p => (string)p["in"]! == "query").ToList();
        var csv = accepts?.ContentTypes.Contains("text/csv") == true;
        var type = accepts?.RequestType is { } t && t != typeof(string) ? t : null;
        var body = type is null ? null : Value(type, "body", 0);
        var json = body?.ToJsonString();
        var contentType = csv ? "text/csv" : "application/json";
        var good = csv ? "firstName,lastName,loginCode\nIra,Import,ira\n" : json;

        foreach (var (name, _) in routeValues)
        {
            yield return new($"{name} all zero", Route(name, Guid.Empty.ToString()), good, contentType);
            yield return new($"{name} unknown", Route(name, Guid.NewGuid().ToString()), good, contentType);
            yield return new($"{name} not an id", Route(name, "not-an-id"), good, contentType);
            yield return new($"{name} long", Route(name, new string('a', 3000)), good, contentType);
        }
        foreach (var query in queries)
        {
            var name = (string)query["name"]!;
            foreach (
                var (what, value) in new[]
                {
                    ("NUL", "a%00b"),
                    ("huge", new string('q', 5000)),
                    ("text", "abc"),
                    ("negative", "-1"),
                    ("big", "99999999999"),
                    ("offset", Uri.EscapeDataString("2026-06-01T10:00:00+05:30")),
                    ("bad date", "2026-13-45"),
                    ("invalid UTF-8", "%ED%A0%80"),
                    ("empty", ""),
                    ("blank", "%20%20"),
                    ("emoji", Uri.EscapeDataString("😀")),
                    ("control", "a%01b"),
                    ("repeated", "1&" + name + "=2"),
                }
            )
                yield return new($"query {name} {what}", $"{Route()}?{name}={value}", good, contentType);
        }
        if (accepts is null)
            yield break;
        if (csv)
        {
            foreach (
                var (what, text) in new[]
                {
                    ("NUL", "firstName,lastName,loginCode\nIra,Im\0port,ira\n"),
                    ("lone surrogate", "firstName,lastName,loginCode\nIra,\ud800,ira\n"),
                    ("unclosed quote", "firstName,lastName,loginCode\n\"Ira,Import,ira\n"),
                    ("header only", "firstName,lastName,loginCode\n"),
                    ("huge field", $"firstName,lastName,loginCode\nIra,{Huge},ira\n"),
                    ("empty", ""),
                    ("unknown columns", "a,b\n1,2\n"),
                    ("ragged", "firstName,lastName,loginCode\nIra\n"),
                }
            )
                yield return new($"csv {what}", Route(), text, "text/csv");
            yield return new("csv in a bogus charset", Route(), good, "text/csv; charset=bogus-9");
            yield break;
        }
        foreach (
            var (what, text, media) in new[]
            {
                ("empty body", "", "application/json"),
                ("null body", "null", "application/json"),
                ("array body", "[]", "application/json"),
                ("broken JSON", "{", "application/json"),
                ("empty object", "{}", "application/json"),
                ("deep arrays", new string('[', 5000) + new string(']', 5000), "application/json"),
                (
                    "deep objects",
                    string.Concat(Enumerable.Repeat("{\"a\":", 1000)) + "1" + new string('}', 1000),
                    "application/json"
                ),
                ("text/plain", json ?? "{}", "text/plain"),
                ("xml", "<a/>", "application/xml"),
                ("bogus charset", json ?? "{}", "application/json; charset=bogus-9"),
                ("UTF-16 label", json ?? "{}", "application/json; charset=utf-16"),
                ("no content type", json ?? "{}", null),
            }
        )
            yield return new(what, Route(), text, media);
        if (body is null)
            yield break;
        foreach (var (field, kind) in Fields(body, type!, ""))
        foreach (var (what, replacement) in Mutations(kind))
        {
            var mutated = body.DeepClone();
            Set(mutated, field, replacement);
            var text = mutated.ToJsonString().Replace($"\"{Lone}\"", "\"\\ud800\"", StringComparison.Ordinal);
            yield return new($"{field} {what}", Route(), text, "application/json");
        }
    }

    private string ValidRouteValue(string path, JsonObject parameter)
    {
        var name = (string)parameter["name"]!;
        if (name == "month")
            return "2026-01";
        if (name == "featureCode")
            return "can-move-stock";
        if ((string?)parameter["schema"]?["format"] != "uuid")
            return "x";
        // /users/{id}, /roles/{id}: the resource of the segment before the id.
        var segment = path.Split('/').TakeWhile(s => s != $"{{{name}}}").LastOrDefault() ?? "";
        return name == "id" ? IdFor(segment.Replace("-", "")) : IdFor(name);
    }

    private enum Kind
    {
        Text,
        Id,
        Instant,
        Number,
        Flag,
        List,
        Record,
        Enumeration,
    }

    /// <summary>
    /// A plausible value of a request type: texts, ids of things that exist, instants, one item in each list.
    /// </summary>
    private JsonNode? Value(Type type, string name, int depth)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return KindOf(type) switch
        {
            Kind.Text => JsonValue.Create(name.Contains("On", StringComparison.Ordinal) ? "2027-01-15" : $"v{name}"),
            Kind.Id => JsonValue.Create(IdFor(name)),
            Kind.Instant => JsonValue.Create("2027-01-01T00:00:00Z"),
            Kind.Number => JsonValue.Create(1),
            Kind.Flag => JsonValue.Create(true),
            Kind.Enumeration => JsonValue.Create(Enum.GetNames(type)[0]),
            Kind.List when depth < 3 => new JsonArray(Value(ItemType(type), name.TrimEnd('s'), depth + 1)),
            Kind.Record when depth < 3 => new JsonObject(
                Properties(type)
                    .Select(p =>
                        KeyValuePair.Create(
                            JsonNamingPolicy.CamelCase.ConvertName(p.Name),
                            Value(p.PropertyType, p.Name, depth + 1)
                        )
                    )
            ),
            _ => null,
        };
    }

    private static Kind KindOf(Type type) =>
        type == typeof(string) ? Kind.Text
        : type == typeof(Guid) ? Kind.Id
        : type == typeof(DateTimeOffset) ? Kind.Instant
        : type == typeof(bool) ? Kind.Flag
        : type.IsEnum ? Kind.Enumeration
        : type.IsPrimitive || type == typeof(decimal) ? Kind.Number
        : type.IsGenericType && typeof(System.Collections.IEnumerable).IsAssignableFrom(type) ? Kind.List
        : Kind.Record;

    private static Type ItemType(Type list) => list.GetGenericArguments()[0];

    private static IEnumerable<PropertyInfo> Properties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p =>
                p.CanRead
                && p.GetIndexParameters().Length == 0
                && p.Name != "EqualityContract"
                && p.GetMethod?.IsStatic == false
                && p.DeclaringType?.Namespace?.StartsWith("OrderStream") == true
            );

    /// <summary>Every field of the body, one level into lists (their first item), with its kind.</summary>
    private static IEnumerable<(string Path, Kind Kind)> Fields(JsonNode body, Type type, string prefix)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        foreach (var property in Properties(type))
        {
            var name = JsonNamingPolicy.CamelCase.ConvertName(property.Name);
            var propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            var path = prefix.Length == 0 ? name : $"{prefix}.{name}";
            var kind = KindOf(propertyType);
            yield return (path, kind);
            if (kind == Kind.List && body[name] is JsonArray { Count: > 0 } items && items[0] is JsonObject item)
                foreach (var inner in Fields(item, ItemType(propertyType), $"{path}[0]"))
                    yield return inner;
            if (kind == Kind.List && body[name] is JsonArray { Count: > 0 } ids && ids[0] is JsonValue)
                yield return ($"{path}[0]", KindOf(ItemType(propertyType)));
            if (kind == Kind.Record && body[name] is JsonObject record)
                foreach (var inner in Fields(record, propertyType, path))
                    yield return inner;
        }
    }

    private static IEnumerable<(string What, JsonNode? Value)> Mutations(Kind kind)
    {
        yield return ("null", null);
        yield return ("NUL", JsonValue.Create("a\0b"));
        yield return ("lone surrogate", JsonValue.Create(Lone));
        yield return ("huge", JsonValue.Create(Huge));
        yield return (
            "wrong type",
            kind is Kind.Number or Kind.Flag ? JsonValue.Create("abc")
            : kind == Kind.List ? new JsonObject()
            : JsonValue.Create(42)
        );
        yield return ("object", new JsonObject { ["a"] = 1 });
        yield return ("empty", JsonValue.Create(""));
        yield return ("blank", JsonValue.Create("   "));
        yield return ("control characters", JsonValue.Create("a\u0001\u001f\u007fb"));
        yield return ("emoji and right-to-left", JsonValue.Create("😀\u202eabc"));
        yield return ("long multibyte", JsonValue.Create(string.Concat(Enumerable.Repeat("€ß漢", 5000))));
        yield return ("number extreme", JsonValue.Create(double.MaxValue));
        switch (kind)
        {
            case Kind.Id:
                yield return ("all-zero id", JsonValue.Create(Guid.Empty.ToString()));
                yield return ("unknown id", JsonValue.Create(Guid.NewGuid().ToString()));
                break;
            case Kind.Instant or Kind.Text:
                yield return ("instant +05:30", JsonValue.Create("2030-01-01T10:00:00+05:30"));
                yield return ("instant -11:00", JsonValue.Create("1999-12-31T23:00:00-11:00"));
                yield return ("date only", JsonValue.Create("2030-01-01"));
                break;
            case Kind.Number:
                yield return ("too big", JsonValue.Create(2147483648L));
                yield return ("negative", JsonValue.Create(-1));
                yield return ("most negative", JsonValue.Create(long.MinValue));
                yield return ("fraction", JsonValue.Create(0.5));
                break;
            case Kind.List:
                yield return (
                    "many items",
                    new JsonArray(
                        Enumerable
                            .Range(0, 5000)
                            .Select(_ => (JsonNode?)JsonValue.Create(Guid.NewGuid().ToString()))
                            .ToArray()
                    )
                );
                yield return ("null item", new JsonArray((JsonNode?)null));
                break;
        }
    }

    /// <summary>Sets the field at a path like <c>grants[0].featureCode</c>.</summary>
    private static void Set(JsonNode body, string path, JsonNode? value)
    {
        var parts = path.Split('.');
        JsonNode? at = body;
        for (var i = 0; i < parts.Length; i++)
        {
            var (name, index) = parts[i].EndsWith("[0]", StringComparison.Ordinal)
                ? (parts[i][..^3], 0)
                : (parts[i], -1);
            var last = i == parts.Length - 1;
            if (index < 0)
            {
                if (last)
                    at![name] = value;
                else
                    at = at![name];
                continue;
            }
            var items = at![name]!.AsArray();
            if (last)
                items[0] = value;
            else
                at = items[0];
        }
    }
}
