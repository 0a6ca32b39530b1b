using System.Net;
using System.Net.Http.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using OrderStream.Tests.TestKit;
using Xunit;

namespace OrderStream.Tests.SalePoints;

/// <summary>
/// POS login with a PIN at a sale point (issue #4): the scoped token, every refusal, the shared lockout, and PINs.
/// </summary>
public sealed class PosLoginTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private const string Pin = "4826";

    private static Task<HttpResponseMessage> PosLogInAsync(
        TenantClient client,
        string salePointId,
        string loginCode,
        string pin
    ) =>
        client.Http.PostAsJsonAsync(
            client.Url("auth/pos-login"),
            new
            {
                salePointId,
                loginCode,
                pin,
            }
        );

    private static async Task<string> CashierAsync(TenantClient admin, string login)
    {
        var user = (string)(await admin.CreateUserAsync(TenantClient.NewUser(login: login)))["id"]!;
        Assert.Equal(
            HttpStatusCode.NoContent,
            (await admin.PutAsync($"users/{user}/pin", new { pin = Pin })).StatusCode
        );
        return user;
    }

    [Fact]
    public async Task A_user_given_all_sale_points_including_future_ones_logs_in_at_one_created_afterwards()
    {
        var admin = await api.CreateTenantAsync();
        var user = await CashierAsync(admin, "kasse1");
        var store = await AssignmentTests.StoreAsync(admin, "ST1");
        await admin.PostAsync($"users/{user}/stores", new { storeId = store });
        await admin.PutAsync($"users/{user}/default-store", new { storeId = store });
        var all = await admin.PostAsync(
            $"users/{user}/sale-points/all",
            new { roleId = await admin.RoleIdAsync("POS Cashier"), includeFuture = true }
        );
        Assert.Equal(HttpStatusCode.OK, all.StatusCode);

        var created = await AssignmentTests.SalePointAsync(admin, "NEW");
        var login = await PosLogInAsync(admin, created, "kasse1", Pin);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var body = await login.ReadAsync();
        Assert.Equal("POS Cashier", (string)body["roleName"]!);
        Assert.Equal(store, (string)body["defaultStoreId"]!);
        Assert.Equal("NEW (Shop NEW)", (string)body["salePointName"]!);
        var token = new JsonWebToken((string)body["token"]!);
        Assert.Equal(created, token.Claims.Single(c => c.Type == "salePointId").Value);
        Assert.Equal(store, token.Claims.Single(c => c.Type == "defaultStoreId").Value);
        Assert.Equal((string)body["roleId"]!, token.Claims.Single(c => c.Type == "roleId").Value);
    }

    [Fact]
    public async Task Each_refusal_says_why_and_names_the_sale_point()
    {
        var admin = await api.CreateTenantAsync();
        var user = await CashierAsync(admin, "kasse2");
        var (here, elsewhere) = (
            await AssignmentTests.SalePointAsync(admin, "HERE"),
            await AssignmentTests.SalePointAsync(admin, "AWAY")
        );
        await admin.PostAsync(
            $"users/{user}/sale-points",
            new { salePointId = here, roleId = await admin.RoleIdAsync("POS Cashier") }
        );

        Assert.Equal(HttpStatusCode.OK, (await PosLogInAsync(admin, here, "KASSE2", Pin)).StatusCode);
        var away = await PosLogInAsync(admin, elsewhere, "kasse2", Pin);
        Assert.Equal(HttpStatusCode.Forbidden, away.StatusCode);
        Assert.Equal(
            "You are not assigned to sale point AWAY (Shop AWAY).",
            (string)(await away.ReadAsync())["detail"]!
        );
        Assert.Equal(HttpStatusCode.Unauthorized, (await PosLogInAsync(admin, here, "kasse2", "9999")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PosLogInAsync(admin, here, "nobody", Pin)).StatusCode);
        Assert.Equal(
            ["salePointId"],
            (await (await PosLogInAsync(admin, Guid.NewGuid().ToString(), "kasse2", Pin)).ErrorsAsync()).Keys
        );
        Assert.Equal(
            ["salePointId"],
            (
                await (
                    await admin.Http.PostAsJsonAsync(
                        admin.Url("auth/pos-login"),
                        new { loginCode = "kasse2", pin = Pin }
                    )
                ).ErrorsAsync()
            ).Keys
        );

        // A role at the sale point that does not give "log in to the POS" is no way in.
        var noPos = (string)
            (
                await (
                    await admin.PostAsync("roles", TenantClient.RoleBody("Viewer", ("see-sale-point-sales", null)))
                ).ReadAsync()
            )["id"]!;
        await admin.PutAsync($"users/{user}/sale-points/{here}", new { roleId = noPos });
        var withoutRight = await PosLogInAsync(admin, here, "kasse2", Pin);
        Assert.Equal(HttpStatusCode.Forbidden, withoutRight.StatusCode);
        Assert.Contains("HERE", (string)(await withoutRight.ReadAsync())["detail"]!);
        await admin.PutAsync(
            $"users/{user}/sale-points/{here}",
            new { roleId = await admin.RoleIdAsync("POS Cashier") }
        );

        // An inactive sale point keeps its assignments, but nobody logs in there until it is active again.
        await admin.PostAsync($"sale-points/{here}/deactivate", new { reason = "closed" });
        var inactive = await PosLogInAsync(admin, here, "kasse2", Pin);
        Assert.Equal(HttpStatusCode.Forbidden, inactive.StatusCode);
        Assert.Contains("inactive", (string)(await inactive.ReadAsync())["detail"]!);
        await admin.PostAsync($"sale-points/{here}/reactivate", null);
        Assert.Equal(HttpStatusCode.OK, (await PosLogInAsync(admin, here, "kasse2", Pin)).StatusCode);

        await admin.PostAsync($"users/{user}/deactivate", new { reason = "left" });
        var gone = await PosLogInAsync(admin, here, "kasse2", Pin);
        Assert.Equal(HttpStatusCode.Forbidden, gone.StatusCode);
        Assert.Equal("This user is inactive.", (string)(await gone.ReadAsync())["detail"]!);

        var audit = (await (await admin.GetAsync($"audit?subject={user}&type=login_refused")).ReadAsync())[
            "items"
        ]!.AsArray();
        // Not assigned, unknown sale point, no right there, sale point inactive, user inactive.
        Assert.Equal(5, audit.Count);
        Assert.All(audit, e => Assert.Equal("pos", (string)e!["data"]!["Channel"]!));
    }

    [Fact]
    public async Task Five_wrong_pins_lock_the_user_out_of_the_pos_and_the_web_office_alike()
    {
        var admin = await api.CreateTenantAsync();
        var user = (string)
            (await admin.CreateUserAsync(TenantClient.NewUser(login: "kasse3", password: "web-password-12")))["id"]!;
        await admin.PutAsync($"users/{user}/pin", new { pin = Pin });
        var here = await AssignmentTests.SalePointAsync(admin, "LOCK");
        await admin.PostAsync(
            $"users/{user}/sale-points",
            new { salePointId = here, roleId = await admin.RoleIdAsync("POS Cashier") }
        );

        for (var i = 0; i < 4; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await PosLogInAsync(admin, here, "kasse3", "5831")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await PosLogInAsync(admin, here, "kasse3", "5831")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await PosLogInAsync(admin, here, "kasse3", Pin)).StatusCode);
        var web = await admin.Http.PostAsJsonAsync(
            admin.Url("auth/login"),
            new { loginCode = "kasse3", password = "web-password-12" }
        );
        Assert.Equal(HttpStatusCode.TooManyRequests, web.StatusCode);

        api.Clock.Advance(TimeSpan.FromMinutes(16));
        Assert.Equal(HttpStatusCode.OK, (await PosLogInAsync(admin, here, "kasse3", Pin)).StatusCode);
        var locked = (await (await admin.GetAsync($"audit?subject={user}&type=login_locked_out")).ReadAsync())[
            "items"
        ]!.AsArray();
        Assert.Equal("pos", (string)Assert.Single(locked)!["data"]!["Channel"]!);
    }

    [Theory]
    [InlineData("0000")]
    [InlineData("7777777")]
    [InlineData("1234")]
    [InlineData("0123")]
    [InlineData("98765")]
    [InlineData("4321")]
    [InlineData("12a4")]
    [InlineData("482")]
    public async Task Guessable_or_malformed_pins_are_refused_naming_the_field(string pin)
    {
        var admin = await api.CreateTenantAsync();
        var user = (string)(await admin.CreateUserAsync(TenantClient.NewUser()))["id"]!;
        var response = await admin.PutAsync($"users/{user}/pin", new { pin });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["pin"], (await response.ErrorsAsync()).Keys);
    }

    [Fact]
    public async Task Users_set_their_own_pin_and_only_a_user_manager_sets_someone_elses()
    {
        var admin = await api.CreateTenantAsync();
        var clerk = (string)
            (await admin.CreateUserAsync(TenantClient.NewUser(login: "clerk", password: "clerk-password-1")))["id"]!;
        var other = (string)(await admin.CreateUserAsync(TenantClient.NewUser()))["id"]!;
        var asClerk = new TenantClient(api.CreateClient(), admin.Tenant);
        await asClerk.LogInAsync("clerk", "clerk-password-1");
        Assert.Equal(
            HttpStatusCode.NoContent,
            (await asClerk.PutAsync($"users/{clerk}/pin", new { pin = "2580" })).StatusCode
        );
        Assert.Equal(
            HttpStatusCode.Forbidden,
            (await asClerk.PutAsync($"users/{other}/pin", new { pin = "2580" })).StatusCode
        );
        Assert.Equal(
            HttpStatusCode.NotFound,
            (await admin.PutAsync($"users/{Guid.NewGuid()}/pin", new { pin = "2580" })).StatusCode
        );
        Assert.True((bool)(await (await admin.GetAsync($"users/{clerk}")).ReadAsync())["hasPin"]!);
    }
}
