using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using OrderStream.Tests.SalePoints;
using OrderStream.Tests.TestKit;
using Xunit;

namespace OrderStream.Tests.Security;

/// <summary>
/// Issue #18, item 1 (ADR 0019): nobody changes the credentials, status, login permission, type or rights of a user who
/// holds more than they do. A user manager who could reset a System Administrator's password could become one.
/// </summary>
public sealed class WhoMayChangeWhomTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private sealed record Tenant(TenantClient Admin, string AdminId, TenantClient Manager, string ManagerId);

    /// <summary>
    /// A tenant whose System Administrator (the bootstrap's admin) and a Business Group Manager with the BGM role.
    /// </summary>
    private async Task<Tenant> TenantAsync(bool grantOnlyWhatYouHold = true)
    {
        var admin = await api.CreateTenantAsync();
        if (grantOnlyWhatYouHold)
            Assert.Equal(
                HttpStatusCode.OK,
                (await admin.PutAsync("access-settings", new { grantOnlyWhatYouHold = true })).StatusCode
            );
        var manager = await UserAsync(admin, "bgm", "Business Group Manager", "BusinessGroupManager");
        return new Tenant(admin, admin.UserId!, await ClientAsync(admin, "bgm"), manager);
    }

    internal static async Task<string> UserAsync(
        TenantClient admin,
        string login,
        string? role = null,
        string? type = null
    )
    {
        var id = (string)
            (
                await admin.CreateUserAsync(
                    new
                    {
                        firstName = char.ToUpperInvariant(login[0]) + login[1..],
                        lastName = "Tester",
                        loginCode = login,
                        password = Password(login),
                        type,
                    }
                )
            )["id"]!;
        if (role is not null)
            await admin.GiveRoleAsync(id, role);
        return id;
    }

    internal static string Password(string login) => $"{login}-password-1";

    internal async Task<TenantClient> ClientAsync(TenantClient admin, string login)
    {
        var client = new TenantClient(api.CreateClient(), admin.Tenant);
        await client.LogInAsync(login, Password(login));
        return client;
    }

    private static async Task<string> Refused(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(
            response.StatusCode == HttpStatusCode.Forbidden,
            $"expected 403, got {(int)response.StatusCode}: {body}"
        );
        return (string)JsonNode.Parse(body)!["detail"]!;
    }

    private static async Task<JsonObject> ReadUserAsync(TenantClient client, string id) =>
        await (await client.GetAsync($"users/{id}")).ReadAsync();

    private static object Edit(
        JsonObject user,
        string? password = null,
        bool? allowLogin = null,
        string? type = null
    ) =>
        new
        {
            firstName = (string)user["firstName"]!,
            lastName = (string)user["lastName"]!,
            loginCode = (string)user["loginCode"]!,
            password,
            allowLogin,
            type = type ?? (string?)user["type"],
        };

    [Fact]
    public async Task A_user_manager_cannot_take_over_a_System_Administrator()
    {
        var t = await TenantAsync();
        var sysadmin = await ReadUserAsync(t.Admin, t.AdminId);
        var other = await UserAsync(t.Admin, "other-admin");
        Assert.Equal(
            HttpStatusCode.OK,
            (await t.Admin.PutAsync($"users/{other}/system-administrator", new { value = true })).StatusCode
        );

        var password = await Refused(
            await t.Manager.PutAsync($"users/{t.AdminId}", Edit(sysadmin, password: "taken-over-1"))
        );
        Assert.Contains("System Administrator", password);
        Assert.Contains("only a System Administrator may change them", password);
        await Refused(await t.Manager.PutAsync($"users/{t.AdminId}", Edit(sysadmin, allowLogin: false)));
        await Refused(await t.Manager.PutAsync($"users/{t.AdminId}/pin", new { pin = "4711" }));
        await Refused(await t.Manager.PostAsync($"users/{other}/deactivate", new { reason = "gone" }));

        // Nothing changed: the System Administrator still logs in with their own password.
        var still = new TenantClient(api.CreateClient(), t.Admin.Tenant);
        await still.LogInAsync("admin", TenantClient.AdminPassword);
        Assert.True((bool)(await ReadUserAsync(t.Admin, other))["isActive"]!);
        // Each refusal is audited, naming who tried what on whom and the rule.
        var audit = (await (await t.Admin.GetAsync("audit?type=user_change_refused")).ReadAsync())["items"]!.AsArray();
        Assert.Equal(4, audit.Count);
        Assert.All(audit, e => Assert.Equal(t.ManagerId, (string)e!["actor"]!));
        Assert.Contains(audit, e =>
            (string)e!["subject"]! != "" && ((string)e["summary"]!).Contains("System Administrator")
        );
        var history = (await (await t.Admin.GetAsync($"users/{t.AdminId}/history")).ReadAsync())["items"]!.AsArray();
        Assert.Contains(history, e => (string)e!["type"]! == "user_change_refused");
    }

    [Fact]
    public async Task A_user_manager_cannot_reset_the_password_of_an_Administrator_and_then_raise_themselves()
    {
        var t = await TenantAsync();
        var holder = await UserAsync(t.Admin, "ada", "Administrator");
        var ada = await ReadUserAsync(t.Admin, holder);

        var refusal = await Refused(await t.Manager.PutAsync($"users/{holder}", Edit(ada, password: "taken-over-1")));
        Assert.Contains("Ada Tester", refusal);
        Assert.Contains("you do not hold", refusal);
        await Refused(await t.Manager.PutAsync($"users/{holder}/pin", new { pin = "4711" }));
        await Refused(await t.Manager.PostAsync($"users/{holder}/deactivate", new { }));
        // Taking the holder's rights away is a change of them too.
        await Refused(
            await t.Manager.DeleteAsync($"users/{holder}/roles/{await t.Admin.RoleIdAsync("Administrator")}")
        );

        // The escalation guard, whoever's token: the manager cannot give themselves the Administrator role.
        await Refused(
            await t.Manager.PutAsync($"users/{t.ManagerId}/roles/{await t.Admin.RoleIdAsync("Administrator")}", new { })
        );
    }

    [Fact]
    public async Task A_System_Manager_is_changed_only_by_a_System_Manager_or_a_System_Administrator()
    {
        var t = await TenantAsync();
        var sm = await UserAsync(t.Admin, "sam");
        Assert.Equal(
            HttpStatusCode.OK,
            (await t.Admin.PutAsync($"users/{sm}/grants/is-system-manager", new { })).StatusCode
        );
        var refusal = await Refused(await t.Manager.PutAsync($"users/{sm}/pin", new { pin = "4711" }));
        Assert.Contains("System Manager", refusal);

        var otherSm = await UserAsync(t.Admin, "sol", "Business Group Manager", "BusinessGroupManager");
        Assert.Equal(
            HttpStatusCode.OK,
            (await t.Admin.PutAsync($"users/{otherSm}/grants/is-system-manager", new { })).StatusCode
        );
        var sol = await ClientAsync(t.Admin, "sol");
        Assert.Equal(
            HttpStatusCode.NoContent,
            (await sol.PutAsync($"users/{sm}/pin", new { pin = "4711" })).StatusCode
        );
        Assert.Equal(
            HttpStatusCode.NoContent,
            (await t.Admin.PutAsync($"users/{sm}/pin", new { pin = "4712" })).StatusCode
        );
    }

    [Fact]
    public async Task Users_holding_no_more_than_the_manager_are_changed_as_before()
    {
        var t = await TenantAsync();
        var plain = await UserAsync(t.Admin, "pia");
        var pia = await ReadUserAsync(t.Admin, plain);
        Assert.Equal(
            HttpStatusCode.OK,
            (await t.Manager.PutAsync($"users/{plain}", Edit(pia, password: "new-password-1"))).StatusCode
        );
        Assert.Equal(
            HttpStatusCode.NoContent,
            (await t.Manager.PutAsync($"users/{plain}/pin", new { pin = "4711" })).StatusCode
        );
        // A peer with the same role holds nothing more.
        var peer = await UserAsync(t.Admin, "bea", "Business Group Manager", "BusinessGroupManager");
        Assert.Equal(HttpStatusCode.OK, (await t.Manager.PostAsync($"users/{peer}/deactivate", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await t.Manager.PostAsync($"users/{peer}/reactivate", new { })).StatusCode);
        // A System Administrator changes anyone.
        var holder = await UserAsync(t.Admin, "ada", "Administrator");
        Assert.Equal(
            HttpStatusCode.NoContent,
            (await t.Admin.PutAsync($"users/{holder}/pin", new { pin = "4711" })).StatusCode
        );
    }

    [Fact]
    public async Task Without_can_maintain_employee_data_the_login_code_and_allow_login_are_refused_by_field()
    {
        // The Business Group Manager role manages users (may-access-back-office-users) but lacks employee data.
        var t = await TenantAsync();
        var plain = await UserAsync(t.Admin, "pia");
        var pia = await ReadUserAsync(t.Admin, plain);
        var renamed = new
        {
            firstName = "Pia",
            lastName = "Tester",
            loginCode = "pia2",
        };

        var login = await t.Manager.PutAsync($"users/{plain}", renamed);
        var allow = await t.Manager.PutAsync($"users/{plain}", Edit(pia, allowLogin: false));

        Assert.Equal(HttpStatusCode.Forbidden, login.StatusCode);
        Assert.Equal(["loginCode"], (await login.ErrorsAsync()).Keys);
        Assert.Equal(HttpStatusCode.Forbidden, allow.StatusCode);
        Assert.Equal(["allowLogin"], (await allow.ErrorsAsync()).Keys);
        Assert.Equal("pia", (string)(await ReadUserAsync(t.Admin, plain))["loginCode"]!);
        // The rest of the details stay theirs to change; with the feature, the login code too.
        var firstName = new
        {
            firstName = "Pina",
            lastName = "Tester",
            loginCode = "pia",
        };
        Assert.Equal(HttpStatusCode.OK, (await t.Manager.PutAsync($"users/{plain}", firstName)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await t.Admin.PutAsync($"users/{plain}", renamed)).StatusCode);
    }

    [Fact]
    public async Task A_higher_qualifier_or_a_right_at_a_sale_point_is_holding_more()
    {
        var t = await TenantAsync();
        var discounts = (string)
            (
                await (
                    await t.Admin.PostAsync(
                        "roles",
                        TenantClient.RoleBody("Discounts 10", ("manage-order-discounts", 10))
                    )
                ).ReadAsync()
            )["id"]!;
        var big = (string)
            (
                await (
                    await t.Admin.PostAsync(
                        "roles",
                        TenantClient.RoleBody("Discounts 25", ("manage-order-discounts", 25))
                    )
                ).ReadAsync()
            )["id"]!;
        Assert.Equal(
            HttpStatusCode.OK,
            (await t.Admin.PutAsync($"users/{t.ManagerId}/roles/{discounts}", new { })).StatusCode
        );
        var seller = await UserAsync(t.Admin, "sid");
        await t.Admin.PutAsync($"users/{seller}/roles/{big}", new { });
        var qualifier = await Refused(await t.Manager.PutAsync($"users/{seller}/pin", new { pin = "4711" }));
        Assert.Contains("Manage Order Discounts", qualifier);
        Assert.Contains("25", qualifier);

        var sp = await AssignmentTests.SalePointAsync(t.Admin, "SP1");
        var cashier = await UserAsync(t.Admin, "cid");
        var added = await t.Admin.PostAsync(
            $"users/{cashier}/sale-points",
            new { salePointId = sp, roleId = await t.Admin.RoleIdAsync("POS Cashier") }
        );
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        var atSalePoint = await Refused(await t.Manager.PutAsync($"users/{cashier}/pin", new { pin = "4711" }));
        Assert.Contains("SP1", atSalePoint);
        // Once the manager holds the cashier's rights (tenant-wide covers every sale point), the cashier is theirs to
        // change.
        await t.Admin.GiveRoleAsync(t.ManagerId, "POS Cashier");
        Assert.Equal(
            HttpStatusCode.NoContent,
            (await t.Manager.PutAsync($"users/{cashier}/pin", new { pin = "4711" })).StatusCode
        );
    }

    [Fact]
    public async Task Bulk_rows_and_location_changes_follow_the_same_rule()
    {
        var t = await TenantAsync(grantOnlyWhatYouHold: false);
        var holder = await UserAsync(t.Admin, "ada", "Administrator");
        var plain = await UserAsync(t.Admin, "pia");
        var bulk = await (
            await t.Manager.PostAsync(
                "users/bulk",
                new { userIds = new[] { holder, plain, t.AdminId }, deactivate = true }
            )
        ).ReadAsync();
        var rows = bulk["results"]!
            .AsArray()
            .Select(r => ((string)r!["outcome"]!, (int?)r["problem"]?["status"]))
            .ToList();
        Assert.Equal([("Failed", 403), ("Applied", null), ("Failed", 403)], rows);

        var store = await AssignmentTests.StoreAsync(t.Admin, "ST1");
        await Refused(await t.Manager.PostAsync($"users/{holder}/stores", new { storeId = store }));
        Assert.Equal(
            HttpStatusCode.OK,
            (await t.Manager.PostAsync($"users/{plain}/stores", new { storeId = store })).StatusCode
        );
        await Refused(await t.Manager.PutAsync($"users/{holder}/grants/can-move-stock", new { }));
    }

    [Fact]
    public async Task Nobody_changes_their_own_back_office_type_which_decides_which_of_their_rights_apply()
    {
        var t = await TenantAsync(grantOnlyWhatYouHold: false);
        // Rights of another type lie dormant on the manager until their type would say they apply.
        Assert.Equal(
            HttpStatusCode.OK,
            (
                await t.Admin.PutAsync(
                    $"users/{t.ManagerId}/roles/{await t.Admin.RoleIdAsync("Production Coordinator")}",
                    new { }
                )
            ).StatusCode
        );
        var self = await ReadUserAsync(t.Admin, t.ManagerId);
        var refusal = await Refused(
            await t.Manager.PutAsync($"users/{t.ManagerId}", Edit(self, type: "ProductionCoordinator"))
        );
        Assert.Contains("type", refusal);
        // Their own other details are theirs to change.
        Assert.Equal(
            HttpStatusCode.OK,
            (await t.Manager.PutAsync($"users/{t.ManagerId}", Edit(self, password: "my-new-password-1"))).StatusCode
        );
    }

    [Fact]
    public async Task Imported_rows_create_users_and_give_roles_by_the_same_guard()
    {
        var t = await TenantAsync();
        var csv =
            "firstName,lastName,loginCode,roles\nIra,Import,ira,Business Group Manager\nOla,Over,ola,Administrator\n";
        var response = await t.Manager.Http.PostAsync(
            t.Manager.Url("users/import"),
            new StringContent(csv, Encoding.UTF8, "text/csv")
        );
        var rows = (await response.ReadAsync())["results"]!.AsArray().Select(r => (string)r!["outcome"]!).ToList();
        Assert.Equal(["Applied", "Failed"], rows);
    }
}
