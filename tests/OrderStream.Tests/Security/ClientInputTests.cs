using System.Net;
using System.Net.Http.Json;
using System.Text;
using OrderStream.Tests.SalePoints;
using OrderStream.Tests.TestKit;
using Xunit;

namespace OrderStream.Tests.Security;

/// <summary>
/// Issue #18, item 4: five kinds of client input that answered 500. Each now gets the answer it deserves: instants with
/// any offset are accepted (and stored in UTC), an unknown charset is a 415, a NUL character a 400 naming the field,
/// the all-zero id a 404, and concurrent failed logins are each counted, none of them a 500 or a 409.
/// </summary>
public sealed class ClientInputTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static async Task<HttpResponseMessage> Send(
        TenantClient client,
        HttpMethod method,
        string path,
        string json,
        string contentType = "application/json"
    )
    {
        var request = new HttpRequestMessage(method, client.Url(path))
        {
            Content = new StringContent(json, Encoding.UTF8),
        };
        request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        return await client.Http.SendAsync(request);
    }

    private static async Task Status(HttpStatusCode expected, HttpResponseMessage response, string what)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(
            response.StatusCode == expected,
            $"{what}: expected {(int)expected}, got {(int)response.StatusCode}: {body}"
        );
    }

    private static async Task<string[]> FieldsNamed(HttpResponseMessage response) =>
        [.. (await response.ErrorsAsync()).Keys];

    [Fact]
    public async Task Instants_with_any_offset_are_accepted_and_kept_as_the_same_instant_in_UTC()
    {
        var admin = await api.CreateTenantAsync();
        var user = (string)(await admin.CreateUserAsync(TenantClient.NewUser()))["id"]!;
        var role = await admin.RoleIdAsync("POS Cashier");
        var until = api
            .Clock.GetUtcNow()
            .AddDays(30)
            .ToOffset(TimeSpan.FromHours(1))
            .ToString("yyyy-MM-dd'T'HH:mm:sszzz");
        var instant = DateTimeOffset.Parse(until);

        var assigned = await Send(
            admin,
            HttpMethod.Put,
            $"users/{user}/roles/{role}",
            $$"""{"validUntil":"{{until}}"}"""
        );
        await Status(HttpStatusCode.OK, assigned, "role");
        var stored = DateTimeOffset.Parse((string)(await assigned.ReadAsync())["roles"]![0]!["validUntil"]!);
        Assert.Equal(instant, stored);
        Assert.Equal(TimeSpan.Zero, stored.Offset);
        await Status(
            HttpStatusCode.OK,
            await Send(
                admin,
                HttpMethod.Put,
                $"users/{user}/grants/can-move-stock",
                $$"""{"validUntil":"{{until}}"}"""
            ),
            "grant"
        );
        var sp = await AssignmentTests.SalePointAsync(admin, "SP1");
        await Status(
            HttpStatusCode.OK,
            await Send(
                admin,
                HttpMethod.Post,
                $"users/{user}/sale-points",
                $$"""{"salePointId":"{{sp}}","roleId":"{{role}}","validUntil":"{{until}}"}"""
            ),
            "sale point"
        );
        var manager = await admin.RoleIdAsync("Store Manager");
        var bulk = await Send(
            admin,
            HttpMethod.Post,
            "users/bulk",
            $$"""{"userIds":["{{user}}"],"assignRoles":[{"roleId":"{{manager}}","validUntil":"{{until}}"}]}"""
        );
        await Status(HttpStatusCode.OK, bulk, "bulk");
        Assert.Equal("Applied", (string)(await bulk.ReadAsync())["results"]![0]!["outcome"]!);

        api.Clock.Advance(TimeSpan.FromMinutes(2));
        var past = api
            .Clock.GetUtcNow()
            .AddMinutes(-1)
            .ToOffset(TimeSpan.FromHours(-5))
            .ToString("yyyy-MM-dd'T'HH:mm:sszzz");
        var query = Uri.EscapeDataString(past);
        await Status(
            HttpStatusCode.OK,
            await Send(
                admin,
                HttpMethod.Post,
                "authorization/check",
                $$"""{"userId":"{{user}}","feature":"pos-login","asOf":"{{past}}"}"""
            ),
            "check"
        );
        await Status(
            HttpStatusCode.OK,
            await Send(
                admin,
                HttpMethod.Post,
                "authorization/check-many",
                $$"""{"checks":[{"userId":"{{user}}","feature":"pos-login"}],"asOf":"{{past}}"}"""
            ),
            "check-many"
        );
        await Status(
            HttpStatusCode.OK,
            await admin.GetAsync($"users/{user}/effective-permissions?asOf={query}"),
            "effective permissions"
        );
        await Status(HttpStatusCode.OK, await admin.GetAsync($"users/{user}/data-scope?asOf={query}"), "data scope");
        await Status(
            HttpStatusCode.OK,
            await admin.GetAsync($"authorization/holders?feature=pos-login&asOf={query}"),
            "holders"
        );
        await Status(HttpStatusCode.OK, await admin.GetAsync($"audit?from={query}"), "audit");
    }

    [Fact]
    public async Task An_unknown_charset_is_415_and_a_known_one_is_read()
    {
        var admin = await api.CreateTenantAsync();
        var body = """{"firstName":"Eva","lastName":"Berger","loginCode":"eva"}""";
        var bogus = await Send(admin, HttpMethod.Post, "users", body, "application/json; charset=bogus-9");
        await Status(HttpStatusCode.UnsupportedMediaType, bogus, "charset=bogus-9");
        Assert.Equal("application/problem+json", bogus.Content.Headers.ContentType!.MediaType);
        Assert.Contains("charset", (string)(await bogus.ReadAsync())["detail"]!);
        await Status(
            HttpStatusCode.UnsupportedMediaType,
            await Send(
                admin,
                HttpMethod.Post,
                "auth/login",
                """{"loginCode":"admin","password":"x"}""",
                "application/json; charset=\"\""
            ),
            "empty charset"
        );
        await Status(
            HttpStatusCode.Created,
            await Send(admin, HttpMethod.Post, "users", body, "application/json; charset=utf-8"),
            "utf-8"
        );
    }

    [Fact]
    public async Task A_NUL_character_in_a_body_or_a_query_is_a_400_naming_the_field()
    {
        var admin = await api.CreateTenantAsync();
        var login = await Send(
            admin,
            HttpMethod.Post,
            "auth/login",
            """{"loginCode":"ad\u0000min","password":"x-password-1"}"""
        );
        await Status(HttpStatusCode.BadRequest, login, "login");
        Assert.Equal(["loginCode"], await FieldsNamed(login));
        var user = await Send(
            admin,
            HttpMethod.Post,
            "users",
            """{"firstName":"Eva","lastName":"Berger","loginCode":"eva","email":"e\u0000@x.at"}"""
        );
        await Status(HttpStatusCode.BadRequest, user, "user");
        Assert.Equal(["email"], await FieldsNamed(user));
        var role = await Send(
            admin,
            HttpMethod.Post,
            "roles",
            """{"name":"Role","grants":[{"featureCode":"can-move\u0000-stock"}]}"""
        );
        await Status(HttpStatusCode.BadRequest, role, "role");
        Assert.Equal(["grants[0].featureCode"], await FieldsNamed(role));

        foreach (
            var (path, field) in new[]
            {
                ("users?search=%00", "search"),
                ("audit?actor=%00", "actor"),
                ("audit?type=a%00b", "type"),
            }
        )
        {
            var response = await admin.GetAsync(path);
            await Status(HttpStatusCode.BadRequest, response, path);
            Assert.Equal([field], await FieldsNamed(response));
        }
    }

    [Fact]
    public async Task The_all_zero_id_in_a_path_is_a_404()
    {
        var admin = await api.CreateTenantAsync();
        const string zero = "00000000-0000-0000-0000-000000000000";
        var user = await admin.PutAsync(
            $"users/{zero}",
            new
            {
                firstName = "Eva",
                lastName = "Berger",
                loginCode = "eva",
            }
        );
        await Status(HttpStatusCode.NotFound, user, "PUT user");
        Assert.Equal("application/problem+json", user.Content.Headers.ContentType!.MediaType);
        await Status(HttpStatusCode.NotFound, await admin.GetAsync($"users/{zero}"), "GET user");
        await Status(HttpStatusCode.NotFound, await admin.PostAsync($"users/{zero}/deactivate", new { }), "deactivate");
        await Status(HttpStatusCode.NotFound, await admin.PutAsync($"users/{zero}/pin", new { pin = "4711" }), "pin");
        await Status(
            HttpStatusCode.NotFound,
            await admin.PutAsync($"roles/{zero}", TenantClient.RoleBody("R")),
            "role"
        );
        await Status(HttpStatusCode.NotFound, await admin.PostAsync($"licenses/{zero}/resend", null), "license");
    }

    /// <summary>
    /// Issue #22: shared terminals and double submits log one user in at once; every attempt appends to the user's
    /// login guard, and only one of a burst used to commit (the others 500 on a first login, 409 after).
    /// </summary>
    [Fact]
    public async Task Concurrent_right_logins_of_one_user_all_succeed_and_each_is_recorded()
    {
        var admin = await api.CreateTenantAsync();
        var id = (string)
            (await admin.CreateUserAsync(TenantClient.NewUser(login: "shared", password: "right-password-1")))["id"]!;
        for (var burst = 0; burst < 2; burst++) // the first ever login starts the guard's stream; the second appends
        {
            var answers = await Task.WhenAll(
                Enumerable
                    .Range(0, 16)
                    .Select(_ =>
                        admin.Http.PostAsJsonAsync(
                            admin.Url("auth/login"),
                            new { loginCode = "shared", password = "right-password-1" }
                        )
                    )
            );
            Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        }
        var history = await (await admin.GetAsync($"users/{id}/history?pageSize=100")).ReadAsync();
        Assert.Equal(32, history["items"]!.AsArray().Count(e => (string?)e!["type"] == "login_succeeded"));
    }

    /// <summary>
    /// Issue #22: two first writes to a new stream at once (a user's first roles) collided and answered 500.
    /// </summary>
    [Fact]
    public async Task Concurrent_first_role_assignments_of_one_user_never_answer_500()
    {
        var admin = await api.CreateTenantAsync();
        for (var round = 0; round < 5; round++)
        {
            var user = (string)(await admin.CreateUserAsync(TenantClient.NewUser(login: $"first{round}")))["id"]!;
            var roles = new List<string>();
            for (var r = 0; r < 4; r++)
                roles.Add(
                    (string)
                        (
                            await (
                                await admin.PostAsync(
                                    "roles",
                                    TenantClient.RoleBody($"R{round}-{r}", ("can-move-stock", r))
                                )
                            ).ReadAsync()
                        )["id"]!
                );
            var answers = await Task.WhenAll(
                roles.Select(role => admin.Http.PutAsync(admin.Url($"users/{user}/roles/{role}"), null))
            );
            Assert.All(answers, a => Assert.True((int)a.StatusCode < 500, $"{a.StatusCode}"));
        }
    }

    [Fact]
    public async Task Concurrent_failed_logins_are_each_counted_and_the_lock_engages()
    {
        var admin = await api.CreateTenantAsync();
        await admin.CreateUserAsync(TenantClient.NewUser(login: "target", password: "right-password-1"));
        var attempts = Enumerable
            .Range(0, 20)
            .Select(_ =>
                admin.Http.PostAsJsonAsync(
                    admin.Url("auth/login"),
                    new { loginCode = "target", password = "wrong-password" }
                )
            );
        var answers = (await Task.WhenAll(attempts)).Select(r => r.StatusCode).ToList();
        Assert.DoesNotContain(answers, s => (int)s >= 500 || s == HttpStatusCode.Conflict);
        // Four failures are told so, the fifth locks, and the fifteen after it meet the lock.
        Assert.Equal(4, answers.Count(s => s == HttpStatusCode.Unauthorized));
        Assert.Equal(16, answers.Count(s => s == HttpStatusCode.TooManyRequests));
        // Locked: the right password is refused too, until the lock runs out.
        var locked = await admin.Http.PostAsJsonAsync(
            admin.Url("auth/login"),
            new { loginCode = "target", password = "right-password-1" }
        );
        Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
    }
}
