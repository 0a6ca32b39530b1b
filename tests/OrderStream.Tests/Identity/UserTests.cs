using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OrderStream.Tests.TestKit;
using Xunit;

namespace OrderStream.Tests.Identity;

public sealed class UserTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Creating_a_user_answers_201_with_location_and_the_user_and_GET_returns_it_with_an_etag()
    {
        var admin = await api.CreateTenantAsync();
        var response = await admin.PostAsync(
            "users",
            new
            {
                firstName = "Maria",
                lastName = "Huber",
                email = "Maria.Huber@Example.com",
                loginCode = "mhuber",
                language = "de",
                contact = new
                {
                    phone = "+43 1 234 5678",
                    addressLines = new[] { "Ringstraße 1" },
                    postalCode = "1010",
                    city = "Wien",
                    country = "at",
                },
                password = "correct-horse-battery",
                pin = "4826",
            }
        );
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.ReadAsync();
        var id = (string)created["id"]!;
        Assert.Equal($"/api/tenants/{admin.Tenant}/users/{id}", response.Headers.Location!.OriginalString);
        Assert.Equal("AT", (string)created["contact"]!["country"]!);
        Assert.True((bool)created["hasPassword"]!);
        Assert.True((bool)created["hasPin"]!);
        Assert.True((bool)created["isActive"]!);
        Assert.Null(created["password"]);

        var get = await admin.GetAsync($"users/{id}");
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal($"\"{(long)created["version"]!}\"", get.Headers.ETag!.Tag);
        Assert.Equal("Maria.Huber@Example.com", (string)(await get.ReadAsync())["email"]!);
    }

    [Fact]
    public async Task Unknown_user_is_404_and_a_malformed_id_is_404_too()
    {
        var admin = await api.CreateTenantAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"users/{Guid.NewGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("users/not-an-id")).StatusCode);
    }

    [Theory]
    [InlineData("firstName", "")]
    [InlineData("firstName", "R2D2")]
    [InlineData("lastName", "")]
    [InlineData("email", "not-an-email")]
    [InlineData("loginCode", "a")]
    [InlineData("loginCode", "has space")]
    [InlineData("language", "xx")]
    [InlineData("password", "short")]
    [InlineData("pin", "12ab")]
    [InlineData("pin", "123")]
    [InlineData("pin", "123456789")]
    public async Task Each_bad_field_is_named_in_a_400(string field, string value)
    {
        var admin = await api.CreateTenantAsync();
        var body = new JsonObject
        {
            ["firstName"] = "Eva",
            ["lastName"] = "Berger",
            ["loginCode"] = "eberger",
            [field] = value,
        };
        var response = await admin.PostAsync("users", body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal([field], (await response.ErrorsAsync()).Keys);
    }

    [Theory]
    [InlineData("phone", "call me")]
    [InlineData("mobile", "12")]
    [InlineData("postalCode", "!!")]
    [InlineData("city", "<script>")]
    [InlineData("country", "ZZ")]
    public async Task Contact_details_are_validated_because_they_are_printed_on_documents(string field, string value)
    {
        var admin = await api.CreateTenantAsync();
        var response = await admin.PostAsync(
            "users",
            new JsonObject
            {
                ["firstName"] = "Eva",
                ["lastName"] = "Berger",
                ["loginCode"] = "eberger",
                ["contact"] = new JsonObject { [field] = value },
            }
        );
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal([$"contact.{field}"], (await response.ErrorsAsync()).Keys);
    }

    [Fact]
    public async Task Malformed_json_and_wrong_types_are_400s_naming_the_field_never_500s()
    {
        var admin = await api.CreateTenantAsync();
        var wrongType = await admin.Http.PostAsync(
            admin.Url("users"),
            new StringContent(
                """{"firstName":"Eva","lastName":"B","loginCode":"eb","allowLogin":"maybe"}""",
                System.Text.Encoding.UTF8,
                "application/json"
            )
        );
        Assert.Equal(HttpStatusCode.BadRequest, wrongType.StatusCode);
        Assert.Contains("allowLogin", (await wrongType.ErrorsAsync()).Keys);

        var badEnum = await admin.PostAsync(
            "users",
            new
            {
                firstName = "Eva",
                lastName = "B",
                loginCode = "eb",
                type = "Pirate",
            }
        );
        Assert.Equal(HttpStatusCode.BadRequest, badEnum.StatusCode);
        Assert.Contains("type", (await badEnum.ErrorsAsync()).Keys);

        var broken = await admin.Http.PostAsync(
            admin.Url("users"),
            new StringContent("{\"firstName\":", System.Text.Encoding.UTF8, "application/json")
        );
        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);

        var badPage = await admin.GetAsync("users?page=abc");
        Assert.Equal(HttpStatusCode.BadRequest, badPage.StatusCode);
        Assert.Contains("page", (await badPage.ErrorsAsync()).Keys);

        var bigPage = await admin.GetAsync("users?pageSize=201");
        Assert.Equal(HttpStatusCode.BadRequest, bigPage.StatusCode);
        Assert.Contains("pageSize", (await bigPage.ErrorsAsync()).Keys);

        var badStatus = await admin.GetAsync("users?status=sleeping");
        Assert.Contains("status", (await badStatus.ErrorsAsync()).Keys);
    }

    [Fact]
    public async Task Email_and_login_code_are_unique_in_the_tenant_ignoring_case_but_not_across_tenants()
    {
        var admin = await api.CreateTenantAsync();
        await admin.CreateUserAsync(TenantClient.NewUser(login: "jdoe", email: "j.doe@example.com"));

        var sameEmail = await admin.PostAsync("users", TenantClient.NewUser(email: "J.DOE@example.com"));
        Assert.Equal(HttpStatusCode.Conflict, sameEmail.StatusCode);
        Assert.Equal(["email"], (await sameEmail.ErrorsAsync()).Keys);

        var sameLogin = await admin.PostAsync("users", TenantClient.NewUser(login: "JDoe"));
        Assert.Equal(HttpStatusCode.Conflict, sameLogin.StatusCode);
        Assert.Equal(["loginCode"], (await sameLogin.ErrorsAsync()).Keys);

        var other = await api.CreateTenantAsync();
        await other.CreateUserAsync(TenantClient.NewUser(login: "jdoe", email: "j.doe@example.com"));
    }

    [Fact]
    public async Task Put_with_a_current_if_match_updates_and_a_stale_one_is_412()
    {
        var admin = await api.CreateTenantAsync();
        var user = await admin.CreateUserAsync(TenantClient.NewUser("Eva", "Berger", "eberger"));
        var id = (string)user["id"]!;
        var etag = (await admin.GetAsync($"users/{id}")).Headers.ETag!.Tag;

        var renamed = await admin.PutAsync(
            $"users/{id}",
            new
            {
                firstName = "Eva",
                lastName = "Berger-Maier",
                loginCode = "eberger",
            },
            etag
        );
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        Assert.NotEqual(etag, renamed.Headers.ETag!.Tag);
        Assert.Equal("Berger-Maier", (string)(await renamed.ReadAsync())["lastName"]!);

        var stale = await admin.PutAsync(
            $"users/{id}",
            new
            {
                firstName = "Eve",
                lastName = "Berger",
                loginCode = "eberger",
            },
            etag
        );
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal("Berger-Maier", (string)(await (await admin.GetAsync($"users/{id}")).ReadAsync())["lastName"]!);

        var garbage = await admin.PutAsync(
            $"users/{id}",
            new
            {
                firstName = "Eve",
                lastName = "Berger",
                loginCode = "eberger",
            },
            "yesterday"
        );
        Assert.Equal(HttpStatusCode.BadRequest, garbage.StatusCode);
        Assert.Equal(
            HttpStatusCode.NotFound,
            (
                await admin.PutAsync(
                    $"users/{Guid.NewGuid()}",
                    new
                    {
                        firstName = "Eve",
                        lastName = "Berger",
                        loginCode = "x1",
                    }
                )
            ).StatusCode
        );
    }

    [Fact]
    public async Task Concurrent_puts_without_if_match_never_lose_a_change_silently()
    {
        var admin = await api.CreateTenantAsync();
        var id = (string)(await admin.CreateUserAsync(TenantClient.NewUser("Eva", "Berger", "eberger")))["id"]!;
        var responses = await Task.WhenAll(
            Enumerable
                .Range(0, 8)
                .Select(i =>
                    admin.PutAsync(
                        $"users/{id}",
                        new
                        {
                            firstName = "Eva",
                            lastName = $"Name{(char)('a' + i)}",
                            loginCode = "eberger",
                        }
                    )
                )
        );
        var codes = responses.Select(r => r.StatusCode).ToList();
        Assert.All(codes, c => Assert.True(c is HttpStatusCode.OK or HttpStatusCode.Conflict, $"unexpected {c}"));
        // Every accepted rename is in the history: none was overwritten without the writer being told.
        var renames = await admin.GetAsync($"audit?subject={id}&type=user_renamed&pageSize=50");
        Assert.Equal(codes.Count(c => c == HttpStatusCode.OK), (long)(await renames.ReadAsync())["total"]!);
    }

    [Fact]
    public async Task Search_is_case_and_accent_insensitive_and_matches_inside_words_login_codes_and_emails()
    {
        var admin = await api.CreateTenantAsync();
        await admin.CreateUserAsync(TenantClient.NewUser("Jürgen", "Müller", "jmueller", "juergen@firma.example"));
        await admin.CreateUserAsync(TenantClient.NewUser("Zoë", "Šimić", "zsimic"));
        await admin.CreateUserAsync(TenantClient.NewUser("Anna", "Egger", "aegger"));
        await admin.CreateUserAsync(TenantClient.NewUser("Jo", "Doe", "j_doe"));
        await admin.CreateUserAsync(TenantClient.NewUser("Jo", "Doe", "jxdoe"));

        async Task<string[]> Search(string term)
        {
            var page = await (await admin.GetAsync($"users?search={Uri.EscapeDataString(term)}")).ReadAsync();
            return page["items"]!.AsArray().Select(i => (string)i!["loginCode"]!).ToArray();
        }
        Assert.Equal(["jmueller"], await Search("MULLER"));
        Assert.Equal(["jmueller"], await Search("üll"));
        Assert.Equal(["zsimic"], await Search("simic"));
        Assert.Equal(["zsimic"], await Search("ZOE"));
        Assert.Equal(["jmueller"], await Search("firma.exa"));
        Assert.Equal(["aegger"], await Search("egg"));
        Assert.Empty(await Search("nobody"));
        Assert.Empty(await Search("%"));
        Assert.Equal(["j_doe"], await Search("j_d")); // LIKE wildcards are searched for literally
    }

    [Fact]
    public async Task The_list_filters_by_status_and_type_sorts_and_pages_with_the_total()
    {
        var admin = await api.CreateTenantAsync();
        for (var i = 0; i < 5; i++)
            await admin.CreateUserAsync(TenantClient.NewUser("Bea", $"Zeller{(char)('a' + i)}", $"bz{i}"));
        var leaver = (string)(await admin.CreateUserAsync(TenantClient.NewUser("Lea", "Ver", "lver")))["id"]!;
        Assert.Equal(
            HttpStatusCode.OK,
            (await admin.PostAsync($"users/{leaver}/deactivate", new { reason = "left" })).StatusCode
        );

        var page2 = await (await admin.GetAsync("users?pageSize=2&page=2")).ReadAsync();
        Assert.Equal(6, (long)page2["total"]!); // the admin and five Zellers; the leaver is inactive
        Assert.Equal(["bz1", "bz2"], page2["items"]!.AsArray().Select(i => (string)i!["loginCode"]!));

        var inactive = await (await admin.GetAsync("users?status=inactive")).ReadAsync();
        Assert.Equal(["lver"], inactive["items"]!.AsArray().Select(i => (string)i!["loginCode"]!));
        Assert.Equal(7, (long)(await (await admin.GetAsync("users?status=ALL")).ReadAsync())["total"]!);

        var bgms = await (await admin.GetAsync("users?type=businessGroupManager")).ReadAsync();
        Assert.Equal(["admin"], bgms["items"]!.AsArray().Select(i => (string)i!["loginCode"]!));

        var desc = await (await admin.GetAsync("users?sort=loginCode&order=desc&pageSize=1")).ReadAsync();
        Assert.Equal("bz4", (string)desc["items"]![0]!["loginCode"]!);
    }

    [Fact]
    public async Task Deactivation_keeps_the_user_and_its_history_and_reactivation_restores_it()
    {
        var admin = await api.CreateTenantAsync();
        var id = (string)(await admin.CreateUserAsync(TenantClient.NewUser("Tom", "Gruber", "tgruber")))["id"]!;

        var deactivated = await admin.PostAsync($"users/{id}/deactivate", new { reason = "left the company" });
        Assert.Equal(HttpStatusCode.OK, deactivated.StatusCode);
        Assert.False((bool)(await deactivated.ReadAsync())["isActive"]!);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsync($"users/{id}/deactivate", null)).StatusCode);

        api.Clock.Advance(TimeSpan.FromDays(3));
        await admin.LogInAsync("admin", TenantClient.AdminPassword); // the token of three days ago has expired
        var reactivated = await (
            await admin.PostAsync($"users/{id}/reactivate", new { reason = "came back" })
        ).ReadAsync();
        Assert.True((bool)reactivated["isActive"]!);
        var history = reactivated["statusHistory"]!.AsArray();
        Assert.Equal([true, false, true], history.Select(h => (bool)h!["active"]!));
        Assert.Equal("left the company", (string)history[1]!["reason"]!);
        Assert.Equal(admin.UserId, (string)history[1]!["by"]!);
        Assert.Equal(
            TimeSpan.FromDays(3),
            DateTimeOffset.Parse((string)history[2]!["at"]!) - DateTimeOffset.Parse((string)history[1]!["at"]!)
        );
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsync($"users/{id}/reactivate", null)).StatusCode);

        var tooLong = await admin.PostAsync($"users/{id}/deactivate", new { reason = new string('x', 501) });
        Assert.Equal(["reason"], (await tooLong.ErrorsAsync()).Keys);
    }

    [Fact]
    public async Task Nobody_deactivates_themselves_and_the_last_active_system_administrator_keeps_the_flag()
    {
        var admin = await api.CreateTenantAsync();
        var self = await admin.PostAsync($"users/{admin.UserId}/deactivate", null);
        Assert.Equal(HttpStatusCode.Conflict, self.StatusCode);
        Assert.Contains("yourself", (string)(await self.ReadAsync())["detail"]!);

        var clear = await admin.PutAsync($"users/{admin.UserId}/system-administrator", new { value = false });
        Assert.Equal(HttpStatusCode.Conflict, clear.StatusCode);
        Assert.Contains("last active System Administrator", (string)(await clear.ReadAsync())["detail"]!);

        var second = (string)
            (await admin.CreateUserAsync(TenantClient.NewUser("Sys", "Two", "sys2", password: "second-admin-pw")))[
                "id"
            ]!;
        var made = await admin.PutAsync($"users/{second}/system-administrator", new { value = true });
        Assert.True((bool)(await made.ReadAsync())["isSystemAdministrator"]!);
        Assert.Equal(
            ["value"],
            (await (await admin.PutAsync($"users/{second}/system-administrator", new { })).ErrorsAsync()).Keys
        );
        Assert.Equal(
            HttpStatusCode.OK,
            (await admin.PutAsync($"users/{admin.UserId}/system-administrator", new { value = false })).StatusCode
        );

        // The flag is a privilege tier, not a set of rights: the Administrator role still opens the user module...
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("users")).StatusCode);
        // ...but what is limited to System Administrators is no longer theirs to give.
        var refused = await admin.PutAsync($"users/{second}/grants/randomise-all-names", new { });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("System Administrator", (string)(await refused.ReadAsync())["detail"]!);
    }

    [Fact]
    public async Task Only_a_system_administrator_may_set_the_flag_even_when_creating_a_user()
    {
        var admin = await api.CreateTenantAsync();
        var created = await admin.CreateUserAsync(
            new
            {
                firstName = "New",
                lastName = "Admin",
                loginCode = "nadmin",
                isSystemAdministrator = true,
            }
        );
        Assert.True((bool)created["isSystemAdministrator"]!);
    }
}
