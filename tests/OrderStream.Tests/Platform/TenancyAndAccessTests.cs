using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using OrderStream.Tests.TestKit;
using Xunit;

namespace OrderStream.Tests.Platform;

public sealed class TenancyAndAccessTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Without_a_token_tenant_routes_answer_401()
    {
        var admin = await api.CreateTenantAsync();
        var anonymous = new TenantClient(api.CreateClient(), admin.Tenant);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("users")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("audit")).StatusCode);
        anonymous.Http.DefaultRequestHeaders.Authorization = new("Bearer", "forged.token.value");
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("users")).StatusCode);
    }

    [Fact]
    public async Task A_token_works_only_for_its_own_tenant_whoever_holds_it()
    {
        var acme = await api.CreateTenantAsync();
        var globex = await api.CreateTenantAsync();
        var secret = (string)(await globex.CreateUserAsync(TenantClient.NewUser("Hidden", "Person")))["id"]!;

        var crossing = new TenantClient(acme.Http, globex.Tenant);
        var list = await crossing.GetAsync("users");
        Assert.Equal(HttpStatusCode.Forbidden, list.StatusCode);
        Assert.Contains("another tenant", (string)(await list.ReadAsync())["detail"]!);
        Assert.Equal(HttpStatusCode.Forbidden, (await crossing.GetAsync($"users/{secret}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await crossing.PostAsync("users", TenantClient.NewUser())).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await crossing.GetAsync("audit")).StatusCode);

        // Within its own tenant the other tenant's user id simply does not exist.
        Assert.Equal(HttpStatusCode.NotFound, (await acme.GetAsync($"users/{secret}")).StatusCode);
        Assert.Equal(0, (long)(await (await acme.GetAsync($"audit?subject={secret}")).ReadAsync())["total"]!);
    }

    [Fact]
    public async Task An_unknown_tenant_is_404_as_problem_details()
    {
        var response = await api.CreateClient()
            .PostAsJsonAsync("/api/tenants/no-such-tenant/auth/login", new { loginCode = "a", password = "b" });
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task A_user_without_the_feature_is_403_and_told_which_feature_is_needed()
    {
        var admin = await api.CreateTenantAsync();
        await admin.CreateUserAsync(TenantClient.NewUser(login: "clerk", password: "clerk-password-1"));
        var clerk = new TenantClient(api.CreateClient(), admin.Tenant);
        await clerk.LogInAsync("clerk", "clerk-password-1");
        var refused = await clerk.GetAsync("users");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("may-access-back-office-users", (string)(await refused.ReadAsync())["detail"]!);
        Assert.Equal(HttpStatusCode.OK, (await clerk.GetAsync("me/preferences/user-list")).StatusCode);
    }

    [Fact]
    public async Task A_deactivated_administrator_s_token_stops_working_at_once()
    {
        var admin = await api.CreateTenantAsync();
        var second = (string)
            (await admin.CreateUserAsync(TenantClient.NewUser(login: "admin2", password: "admin2-password")))["id"]!;
        await admin.PutAsync($"users/{second}/system-administrator", new { value = true });
        await admin.GiveRoleAsync(second, "Administrator");
        var other = new TenantClient(api.CreateClient(), admin.Tenant);
        await other.LogInAsync("admin2", "admin2-password");
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("users")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"users/{second}/deactivate", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync("users")).StatusCode);
    }

    [Fact]
    public async Task Health_endpoints_answer_and_ready_checks_postgres()
    {
        var client = api.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        // Not ready until the decision engine has loaded the tenants (none here, so at once).
        var ready = await client.GetAsync("/health/ready");
        for (var tries = 0; ready.StatusCode != HttpStatusCode.OK && tries < 100; tries++)
        {
            await Task.Delay(50);
            ready = await client.GetAsync("/health/ready");
        }
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var body = await ready.ReadAsync();
        Assert.Equal("Healthy", (string)body["status"]!);
        Assert.Equal(
            ["decision-engine", "event-delivery", "events-set-aside", "postgres"],
            body["checks"]!.AsObject().Select(c => c.Key).Order()
        );
        // How many depends on what the class's other tests committed a moment ago.
        Assert.Matches(
            @"^\d+ event\(s\) not delivered yet\.$",
            (string)body["checks"]!["event-delivery"]!["description"]!
        );
    }

    [Fact]
    public async Task Ready_says_unhealthy_when_PostgreSQL_does_not_answer_and_live_still_answers()
    {
        // The readiness check reads the database through the registered data source: one pointed at a closed port.
        var unreachable = new Npgsql.NpgsqlConnectionStringBuilder(Database.Server) { Port = 1, Timeout = 2 };
        await using var cut = new ApiFactory(null, null, s =>
            s.AddSingleton(_ => Npgsql.NpgsqlDataSource.Create(unreachable.ConnectionString))
        );
        var client = cut.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        var ready = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        var body = await ready.ReadAsync();
        Assert.Equal("Unhealthy", (string)body["status"]!);
        Assert.Equal("PostgreSQL does not answer.", (string)body["checks"]!["postgres"]!["description"]!);
    }

    [Fact]
    public async Task Correlation_ids_are_echoed_and_recorded_on_the_events()
    {
        var admin = await api.CreateTenantAsync();
        var request = new HttpRequestMessage(HttpMethod.Post, admin.Url("users"))
        {
            Content = JsonContent.Create(TenantClient.NewUser("Cor", "Relation")),
        };
        request.Headers.Add("X-Correlation-Id", "case-4711");
        var response = await admin.Http.SendAsync(request);
        Assert.Equal("case-4711", response.Headers.GetValues("X-Correlation-Id").Single());
        var id = (string)(await response.ReadAsync())["id"]!;
        var entry = (await (await admin.GetAsync($"audit?subject={id}&type=user_registered")).ReadAsync())["items"]![
            0
        ]!;
        Assert.Equal("case-4711", (string)entry["correlationId"]!);
        Assert.Equal(admin.UserId, (string)entry["actor"]!);
    }

    /// <summary>
    /// Every answer carries the correlation id, whoever answers it: the endpoint, the guard that refuses a request
    /// before any endpoint runs, the tenancy check, authentication, routing (issue #19; the body limit's answer in
    /// HardeningTests).
    /// </summary>
    [Fact]
    public async Task Every_answer_carries_the_correlation_id_offered_or_made()
    {
        var admin = await api.CreateTenantAsync();
        var user = (string)(await admin.CreateUserAsync(TenantClient.NewUser("Cor", "Relation")))["id"]!;
        var etag = (await admin.GetAsync($"users/{user}")).Headers.ETag!.Tag;
        await admin.PutAsync($"users/{user}", TenantClient.NewUser("Cor", "Changed"), etag);
        HttpRequestMessage Json(HttpMethod method, string url, string body, string type = "application/json") =>
            new(method, url)
            {
                Content = new StringContent(body, System.Text.Encoding.UTF8) { Headers = { ContentType = new(type) } },
            };
        (Func<HttpRequestMessage> Request, HttpStatusCode Status)[] probes =
        [
            (() => new(HttpMethod.Get, "/health/live"), HttpStatusCode.OK),
            (() => new(HttpMethod.Get, admin.Url("users")), HttpStatusCode.OK),
            (() => new(HttpMethod.Get, admin.Url($"users/{Guid.NewGuid()}")), HttpStatusCode.NotFound),
            (() => new(HttpMethod.Get, "/api/tenants/no-such-tenant/users"), HttpStatusCode.NotFound),
            (() => new(HttpMethod.Get, "/api/no/such/page"), HttpStatusCode.NotFound),
            (() => new(HttpMethod.Get, admin.Url("users?search=a%00b")), HttpStatusCode.BadRequest),
            (() => Json(HttpMethod.Post, admin.Url("users"), "{}"), HttpStatusCode.BadRequest),
            (
                () =>
                {
                    var r = Json(HttpMethod.Post, admin.Url("users"), "{}");
                    r.Content!.Headers.ContentType!.CharSet = "klingon";
                    return r;
                },
                HttpStatusCode.UnsupportedMediaType
            ),
            (
                () =>
                {
                    var r = new HttpRequestMessage(HttpMethod.Put, admin.Url($"users/{user}"))
                    {
                        Content = JsonContent.Create(TenantClient.NewUser("Cor", "Stale")),
                    };
                    r.Headers.TryAddWithoutValidation("If-Match", etag);
                    return r;
                },
                HttpStatusCode.PreconditionFailed
            ),
        ];
        var anonymous = api.CreateClient();
        var wrong = new List<string>();
        for (var i = 0; i < probes.Length; i++)
        {
            var (make, status) = probes[i];
            foreach (var offered in new[] { $"probe-{i}", null })
            {
                var request = make();
                if (offered is not null)
                    request.Headers.Add("X-Correlation-Id", offered);
                var response = await admin.Http.SendAsync(request);
                var id = response.Headers.TryGetValues("X-Correlation-Id", out var v) ? v.Single() : null;
                if (response.StatusCode != status || id is null || (offered is not null && id != offered))
                    wrong.Add($"{request.Method} {request.RequestUri}: {(int)response.StatusCode}, id '{id}'");
            }
        }
        // Without a token: 401, with an id all the same.
        var unauthenticated = await anonymous.GetAsync(admin.Url("users"));
        Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);
        Assert.True(unauthenticated.Headers.Contains("X-Correlation-Id"));
        // An offered id that could forge log lines is replaced, not echoed.
        var forged = new HttpRequestMessage(HttpMethod.Get, admin.Url("users"));
        forged.Headers.TryAddWithoutValidation("X-Correlation-Id", "a b;c");
        var made = (await admin.Http.SendAsync(forged)).Headers.GetValues("X-Correlation-Id").Single();
        Assert.NotEqual("a b;c", made);
        Assert.NotEmpty(made);
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }
}
