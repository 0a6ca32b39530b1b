using System.Net;
using System.Text.Json.Nodes;
using OrderStream.Tests.SalePoints;
using OrderStream.Tests.TestKit;
using Xunit;

namespace OrderStream.Tests.Roles;

/// <summary>
/// Issue #6: decisions, permissions, holders and data scopes as of past instants, rebuilt from the history, and
/// time-boxed roles, grants and sale-point assignments that begin and lapse on their own. Changes are made over the
/// fake clock; each answer is checked against the state worked out by hand for that instant.
/// </summary>
public sealed class TimeTravelTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private const string Discounts = "manage-order-discounts";

    [Fact]
    public async Task Past_decisions_follow_a_role_edit_a_time_boxed_grant_s_expiry_and_an_unassignment()
    {
        var admin = await api.CreateTenantAsync();
        var t0 = api.Clock.GetUtcNow();
        var sales = (string)
            (await (await admin.PostAsync("roles", TenantClient.RoleBody("Sales", (Discounts, 5)))).ReadAsync())["id"]!;
        var user = (string)(await admin.CreateUserAsync(TenantClient.NewUser("Tina", "Travel")))["id"]!;
        api.Clock.Advance(TimeSpan.FromHours(1));
        var t1 = api.Clock.GetUtcNow();
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsync($"users/{user}/roles/{sales}", new { })).StatusCode);
        api.Clock.Advance(TimeSpan.FromHours(1));
        var t2 = api.Clock.GetUtcNow();
        var role = await (await admin.GetAsync($"roles/{sales}")).ReadAsync();
        Assert.Equal(
            HttpStatusCode.OK,
            (
                await admin.PutAsync(
                    $"roles/{sales}",
                    TenantClient.RoleBody("Sales", (Discounts, 10)),
                    $"\"{role["version"]}\""
                )
            ).StatusCode
        );
        api.Clock.Advance(TimeSpan.FromHours(1));
        var t3 = api.Clock.GetUtcNow();
        var until = t3.AddHours(2);
        var granted = await admin.PutAsync(
            $"users/{user}/grants/{Discounts}",
            new { qualifier = 25, validUntil = until }
        );
        Assert.Equal(HttpStatusCode.OK, granted.StatusCode);
        Assert.Equal(until, (DateTimeOffset)(await granted.ReadAsync())["grants"]![0]!["validUntil"]!);

        // Now, inside the window: the direct grant's 25 wins, and the explanation names its end.
        var inside = await Check(admin, user, null);
        Assert.Equal((true, 25), ((bool)inside["allowed"]!, (int)inside["qualifier"]!));
        Assert.Contains(inside["reasons"]!.AsArray(), r =>
            ((string)r!["message"]!).Contains("until") && (string)r["code"]! == "granted-directly"
        );

        // Past the window, before anything recorded the lapse: decisions honour validUntil to the instant.
        api.Clock.Advance(TimeSpan.FromHours(2));
        var lapsedNow = await Check(admin, user, null);
        Assert.Equal((true, 10), ((bool)lapsedNow["allowed"]!, (int)lapsedNow["qualifier"]!));
        Assert.Contains(lapsedNow["reasons"]!.AsArray(), r => (string)r!["code"]! == "granted-by-role");
        Assert.DoesNotContain(lapsedNow["reasons"]!.AsArray(), r => (string)r!["code"]! == "granted-directly");
        var lapse = await WaitForAuditAsync(admin, user, "grant_lapsed");
        Assert.Equal("system:time-boxes", (string)lapse["actor"]!);

        api.Clock.Advance(TimeSpan.FromHours(1));
        var t6 = api.Clock.GetUtcNow();
        Assert.Equal(HttpStatusCode.OK, (await admin.DeleteAsync($"users/{user}/roles/{sales}")).StatusCode);
        api.Clock.Advance(TimeSpan.FromMinutes(5));

        // Worked out by hand: (instant) → (allowed, qualifier, where it came from).
        var expected = new (DateTimeOffset At, bool Allowed, int? Qualifier, string[] Codes)[]
        {
            (t0.AddMinutes(30), false, null, ["no-grant"]),
            (t1.AddMinutes(30), true, 5, ["granted-by-role"]),
            (t2.AddMinutes(30), true, 10, ["granted-by-role"]),
            (t3.AddMinutes(30), true, 25, ["granted-directly", "granted-by-role"]),
            (until.AddMinutes(-1), true, 25, ["granted-directly", "granted-by-role"]),
            (until, true, 10, ["granted-by-role"]),
            (t6.AddMinutes(1), false, null, ["no-grant"]),
        };
        foreach (var (at, allowed, qualifier, codes) in expected)
        {
            var then = await Check(admin, user, at);
            Assert.True(allowed == (bool)then["allowed"]!, $"at {at:O}: {then}");
            Assert.Equal(qualifier, (int?)then["qualifier"]);
            Assert.Equal(codes, then["reasons"]!.AsArray().Select(r => (string)r!["code"]!));
        }
        // A role's reason names the role as it was then.
        var before = await Check(admin, user, t1.AddMinutes(30));
        Assert.Contains("with qualifier 5", (string)before["reasons"]![0]!["message"]!);

        // check-many: one instant for all, or one per check.
        var many = await (
            await admin.PostAsync(
                "authorization/check-many",
                new
                {
                    asOf = t2.AddMinutes(1),
                    checks = new object[]
                    {
                        new { userId = user, feature = Discounts },
                        new
                        {
                            userId = user,
                            feature = Discounts,
                            asOf = t0.AddMinutes(1),
                        },
                        new
                        {
                            userId = user,
                            feature = Discounts,
                            minQualifier = 11,
                        },
                    },
                }
            )
        ).ReadAsync();
        Assert.Equal(
            [(true, 10), (false, (int?)null), (false, 10)],
            many["decisions"]!.AsArray().Select(d => ((bool)d!["allowed"]!, (int?)d["qualifier"]))
        );

        // Effective permissions then, and who held the feature then (with who gave each grant, and when).
        var permissions = await (
            await admin.GetAsync($"users/{user}/effective-permissions?asOf={Q(t3.AddMinutes(30))}")
        ).ReadAsync();
        var discount = permissions["permissions"]!.AsArray().Single(p => (string)p!["code"]! == Discounts)!;
        Assert.Equal(25, (int)discount["qualifier"]!);
        Assert.Equal(
            ["direct:25", "role:10"],
            discount["sources"]!.AsArray().Select(s => $"{s!["kind"]}:{s["qualifier"]}")
        );
        var now = await (await admin.GetAsync($"users/{user}/effective-permissions")).ReadAsync();
        Assert.DoesNotContain(now["permissions"]!.AsArray(), p => (string)p!["code"]! == Discounts);

        var holders = await (
            await admin.GetAsync(
                $"authorization/holders?feature={Discounts}&minQualifier=20&asOf={Q(t3.AddMinutes(30))}"
            )
        ).ReadAsync();
        var holder = holders["holders"]!.AsArray().Single(h => (string)h!["userId"]! == user)!;
        Assert.Equal(25, (int)holder["qualifier"]!);
        var direct = holder["grants"]!.AsArray().Single(g => (string)g!["kind"]! == "direct")!;
        Assert.Equal(
            (admin.UserId, t3, until),
            ((string?)direct["givenById"], (DateTimeOffset)direct["givenAt"]!, (DateTimeOffset)direct["validUntil"]!)
        );
        Assert.False(string.IsNullOrEmpty((string?)direct["givenByName"]));
        var byRole = holder["grants"]!.AsArray().Single(g => (string)g!["kind"]! == "role")!;
        Assert.Equal(("Sales", t1), ((string)byRole["roleName"]!, (DateTimeOffset)byRole["givenAt"]!));
        var holdersEarlier = await (
            await admin.GetAsync(
                $"authorization/holders?feature={Discounts}&minQualifier=20&asOf={Q(t2.AddMinutes(30))}"
            )
        ).ReadAsync();
        Assert.DoesNotContain(holdersEarlier["holders"]!.AsArray(), h => (string)h!["userId"]! == user);
        // Another tenant's history never shows: its holder, given the feature before the instant asked about, is not
        // listed.
        var other = await api.CreateTenantAsync();
        var stranger = (string)(await other.CreateUserAsync(TenantClient.NewUser("Sam", "Stranger")))["id"]!;
        await other.PutAsync($"users/{stranger}/grants/{Discounts}", new { qualifier = 30 });
        var afterStranger = await (
            await admin.GetAsync($"authorization/holders?feature={Discounts}&asOf={Q(api.Clock.GetUtcNow())}")
        ).ReadAsync();
        Assert.DoesNotContain(afterStranger["holders"]!.AsArray(), h => (string)h!["userId"]! == stranger);
        Assert.Equal(
            HttpStatusCode.OK,
            (
                await admin.PostAsync(
                    "authorization/check",
                    new
                    {
                        userId = stranger,
                        feature = Discounts,
                        asOf = api.Clock.GetUtcNow(),
                    }
                )
            ).StatusCode
        );
        Assert.Equal(
            "unknown-user",
            (string)
                (
                    await (
                        await admin.PostAsync(
                            "authorization/check",
                            new
                            {
                                userId = stranger,
                                feature = Discounts,
                                asOf = api.Clock.GetUtcNow(),
                            }
                        )
                    ).ReadAsync()
                )["reasons"]![0]!["code"]!
        );
        var holdersNow = await (await admin.GetAsync($"authorization/holders?feature={Discounts}")).ReadAsync();
        Assert.DoesNotContain(holdersNow["holders"]!.AsArray(), h => (string)h!["userId"]! == user);
    }

    [Fact]
    public async Task A_role_given_from_a_later_instant_takes_effect_on_its_own_and_a_sale_point_assignment_lapses()
    {
        var admin = await api.CreateTenantAsync();
        var sales = (string)
            (
                await (
                    await admin.PostAsync("roles", TenantClient.RoleBody("Sales", (Discounts, 5), ("pos-login", null)))
                ).ReadAsync()
            )["id"]!;
        var user = (string)(await admin.CreateUserAsync(TenantClient.NewUser("Fred", "Future")))["id"]!;
        var from = api.Clock.GetUtcNow().AddHours(1);
        Assert.Equal(
            HttpStatusCode.OK,
            (await admin.PutAsync($"users/{user}/roles/{sales}", new { validFrom = from })).StatusCode
        );
        var early = await Check(admin, user, null);
        Assert.False((bool)early["allowed"]!);
        Assert.Equal("time-box", (string)early["reasons"]![0]!["code"]!);
        Assert.Contains("applies only from", (string)early["reasons"]![0]!["message"]!);
        api.Clock.Advance(TimeSpan.FromHours(1));
        Assert.True((bool)(await Check(admin, user, null))["allowed"]!);

        // At a sale point, until an instant: the role there applies, then the assignment lapses and is removed,
        // audited.
        var sp = await AssignmentTests.SalePointAsync(admin, "SP9");
        var spUntil = api.Clock.GetUtcNow().AddMinutes(30);
        var added = await admin.PostAsync(
            $"users/{user}/sale-points",
            new
            {
                salePointId = sp,
                roleId = sales,
                validUntil = spUntil,
            }
        );
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        Assert.Equal(spUntil, (DateTimeOffset)(await added.ReadAsync())["salePoints"]![0]!["validUntil"]!);
        async Task<JsonObject> AtSalePoint() =>
            await (
                await admin.PostAsync(
                    "authorization/check",
                    new
                    {
                        userId = user,
                        feature = "pos-login",
                        salePointId = sp,
                    }
                )
            ).ReadAsync();
        Assert.True((bool)(await AtSalePoint())["allowed"]!);
        api.Clock.Advance(TimeSpan.FromMinutes(30));
        var after = await AtSalePoint();
        Assert.False((bool)after["allowed"]!);
        Assert.Equal("not-assigned", (string)after["reasons"]![0]!["code"]!);
        Assert.Contains("lapsed at", (string)after["reasons"]![0]!["message"]!);
        var change = await WaitForAuditAsync(admin, user, "user_locations_set", e =>
            ((string)e["data"]!["Change"]!).Contains("lapsed")
        );
        Assert.Equal("system:time-boxes", (string)change["actor"]!);
        var salePoints = await (await admin.GetAsync($"users/{user}/sale-points")).ReadAsync();
        Assert.Empty(salePoints["salePoints"]!.AsArray());
        // As of the window, the sale point's role still applied.
        var then = await (
            await admin.PostAsync(
                "authorization/check",
                new
                {
                    userId = user,
                    feature = "pos-login",
                    salePointId = sp,
                    asOf = spUntil.AddMinutes(-1),
                }
            )
        ).ReadAsync();
        Assert.True((bool)then["allowed"]!, then.ToJsonString());
    }

    [Fact]
    public async Task A_data_scope_as_of_an_instant_uses_the_user_s_status_then()
    {
        var admin = await api.CreateTenantAsync();
        var bgm = (string)
            (
                await admin.CreateUserAsync(
                    new
                    {
                        firstName = "Bea",
                        lastName = "Boss",
                        loginCode = "bgm",
                        type = "BusinessGroupManager",
                    }
                )
            )["id"]!;
        api.Clock.Advance(TimeSpan.FromHours(1));
        var active = api.Clock.GetUtcNow();
        api.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"users/{bgm}/deactivate", null)).StatusCode);
        async Task<string> Kind(string query) =>
            (string)(await (await admin.GetAsync($"users/{bgm}/data-scope{query}")).ReadAsync())["kind"]!;
        Assert.Equal("None", await Kind(""));
        Assert.Equal("Tenant", await Kind($"?asOf={Q(active)}"));
        var beforeCreated = await admin.GetAsync($"users/{bgm}/data-scope?asOf={Q(active.AddHours(-2))}");
        Assert.Equal(["asOf"], (await beforeCreated.ErrorsAsync()).Keys);
    }

    [Fact]
    public async Task Bad_instants_and_windows_are_refused_naming_the_field()
    {
        var admin = await api.CreateTenantAsync();
        var sales = (string)
            (await (await admin.PostAsync("roles", TenantClient.RoleBody("Sales", (Discounts, 5)))).ReadAsync())["id"]!;
        var user = (string)(await admin.CreateUserAsync(TenantClient.NewUser("Bad", "Window")))["id"]!;
        var now = api.Clock.GetUtcNow();
        Assert.Equal(
            ["asOf"],
            (
                await (
                    await admin.PostAsync(
                        "authorization/check",
                        new
                        {
                            userId = user,
                            feature = Discounts,
                            asOf = now.AddDays(1),
                        }
                    )
                ).ErrorsAsync()
            ).Keys
        );
        Assert.Equal(
            ["checks[0].asOf"],
            (
                await (
                    await admin.PostAsync(
                        "authorization/check-many",
                        new { asOf = now.AddDays(1), checks = new[] { new { userId = user, feature = Discounts } } }
                    )
                ).ErrorsAsync()
            ).Keys
        );
        Assert.Equal(
            ["asOf"],
            (
                await (
                    await admin.GetAsync($"users/{user}/effective-permissions?asOf={Q(now.AddDays(1))}")
                ).ErrorsAsync()
            ).Keys
        );
        Assert.Equal(["feature"], (await (await admin.GetAsync("authorization/holders")).ErrorsAsync()).Keys);
        Assert.Equal(
            ["feature"],
            (await (await admin.GetAsync("authorization/holders?feature=no-such-thing")).ErrorsAsync()).Keys
        );
        Assert.Equal(
            HttpStatusCode.BadRequest,
            (await admin.GetAsync("authorization/holders?feature=x&asOf=yesterday")).StatusCode
        );
        Assert.Equal(
            ["validUntil"],
            (
                await (
                    await admin.PutAsync(
                        $"users/{user}/roles/{sales}",
                        new { validFrom = now.AddDays(2), validUntil = now.AddDays(1) }
                    )
                ).ErrorsAsync()
            ).Keys
        );
        Assert.Equal(
            ["validUntil"],
            (
                await (
                    await admin.PutAsync(
                        $"users/{user}/grants/{Discounts}",
                        new { qualifier = 3, validUntil = now.AddDays(-1) }
                    )
                ).ErrorsAsync()
            ).Keys
        );
        var sp = await AssignmentTests.SalePointAsync(admin, "SPX");
        Assert.Equal(
            ["validUntil"],
            (
                await (
                    await admin.PostAsync(
                        $"users/{user}/sale-points",
                        new
                        {
                            salePointId = sp,
                            roleId = sales,
                            validUntil = now.AddMinutes(-1),
                        }
                    )
                ).ErrorsAsync()
            ).Keys
        );
        // Malformed bodies and queries of every new endpoint: each refused with its own status, naming the field.
        async Task<string> Raw(HttpMethod method, string path, string? json)
        {
            var request = new HttpRequestMessage(method, $"/api/tenants/{admin.Tenant}/{path}");
            if (json is not null)
                request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
            var response = await admin.Http.SendAsync(request);
            IEnumerable<string> fields = response.IsSuccessStatusCode
                ? []
                : (await response.ErrorsAsync()).Keys.Order();
            return $"{(int)response.StatusCode} {string.Join(",", fields)}".Trim();
        }
        (HttpMethod, string, string?, string)[] probes =
        [
            (
                HttpMethod.Post,
                "authorization/check",
                $$"""{"userId":"{{user}}","feature":"x","asOf":"soon"}""",
                "400 asOf"
            ),
            (HttpMethod.Post, "authorization/check", $$"""{"userId":"{{user}}","feature":"x","asOf":12}""", "400 asOf"),
            (HttpMethod.Post, "authorization/check-many", """{"asOf":"2020-01-01T00:00:00Z"}""", "400 checks"),
            (
                HttpMethod.Post,
                "authorization/check-many",
                """{"asOf":"2020-01-01T00:00:00Z","checks":[null]}""",
                "400 checks[0]"
            ),
            (
                HttpMethod.Get,
                "authorization/holders?feature=manage-order-discounts&minQualifier=-1",
                null,
                "400 minQualifier"
            ),
            (
                HttpMethod.Get,
                $"authorization/holders?feature=manage-order-discounts&salePointId={Guid.NewGuid()}",
                null,
                "400 salePointId"
            ),
            // Thirty years ago nobody held it: an answer, not an error.
            (
                HttpMethod.Get,
                $"authorization/holders?feature=manage-order-discounts&asOf={Q(now.AddYears(-30))}",
                null,
                "200"
            ),
            (HttpMethod.Get, "reports/permission-matrix?format=", null, "400 format"),
            (HttpMethod.Put, "access-settings", "[]", "400 body"),
            (HttpMethod.Put, "access-settings", """{"grantOnlyWhatYouHold":"yes"}""", "400 grantOnlyWhatYouHold"),
            (HttpMethod.Put, $"users/{user}/grants/{Discounts}", """{"validFrom":"never"}""", "400 validFrom"),
            (HttpMethod.Put, $"users/{user}/roles/{sales}", """{"validUntil":[]}""", "400 validUntil"),
            // The window is optional: no body gives the role without one.
            (HttpMethod.Put, $"users/{user}/roles/{sales}", "null", "200"),
            (
                HttpMethod.Post,
                $"users/{user}/sale-points",
                $$"""{"salePointId":"{{sp}}","roleId":"{{sales}}","validUntil":"abc"}""",
                "400 validUntil"
            ),
            (HttpMethod.Get, $"users/{user}/history?page=0", null, "400 page"),
            (HttpMethod.Get, $"users/{user}/history?pageSize=100000", null, "400 pageSize"),
            (HttpMethod.Get, $"users/{user}/data-scope?asOf={Q(now.AddYears(-30))}", null, "400 asOf"),
        ];
        var wrong = new List<string>();
        foreach (var (method, path, json, expected) in probes)
            if (await Raw(method, path, json) is var actual && actual != expected)
                wrong.Add($"{method} {path} {json}: {actual}, expected {expected}");
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));

        // Asking about a user as of before they existed is an answer, not an error: there was no such user then.
        var unknownThen = await Check(admin, user, now.AddHours(-1));
        Assert.Equal("unknown-user", (string)unknownThen["reasons"]![0]!["code"]!);
    }

    private static string Q(DateTimeOffset at) => Uri.EscapeDataString(at.ToString("O"));

    private static async Task<JsonObject> Check(TenantClient admin, string user, DateTimeOffset? asOf)
    {
        var response = await admin.PostAsync(
            "authorization/check",
            asOf is null
                ? new { userId = user, feature = Discounts }
                : (object)
                    new
                    {
                        userId = user,
                        feature = Discounts,
                        asOf,
                    }
        );
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadAsync();
    }

    /// <summary>
    /// The sweeper records a lapse shortly after the clock passed it (it polls every 100 ms in tests).
    /// </summary>
    private static async Task<JsonObject> WaitForAuditAsync(
        TenantClient admin,
        string subject,
        string type,
        Func<JsonObject, bool>? matching = null
    )
    {
        for (var i = 0; i < 100; i++)
        {
            var page = await (await admin.GetAsync($"audit?subject={subject}&type={type}")).ReadAsync();
            if (
                page["items"]!.AsArray().Select(e => e!.AsObject()).FirstOrDefault(e => matching?.Invoke(e) ?? true) is
                { } found
            )
                return found;
            await Task.Delay(100);
        }
        throw new Xunit.Sdk.XunitException($"no {type} event about {subject} was recorded");
    }
}
