using System.Net;
using System.Text.Json.Nodes;
using OrderStream.Tests.TestKit;
using Xunit;

namespace OrderStream.Tests.Roles;

public sealed class RoleTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task A_new_tenant_has_editable_default_roles_and_its_administrator_holds_the_administrator_role()
    {
        var admin = await api.CreateTenantAsync();
        var roles = (await (await admin.GetAsync("roles")).ReadAsync())["items"]!
            .AsArray()
            .Select(r => (string)r!["name"]!)
            .ToList();
        Assert.Equal(
            [
                "Account Executive",
                "Administrator",
                "Business Group Manager",
                "Online Store Administrator",
                "POS Cashier",
                "Production Coordinator",
                "Store Manager",
            ],
            roles
        );
        var mine = await (await admin.GetAsync("me/permissions")).ReadAsync();
        var administrator = mine["permissions"]!
            .AsArray()
            .Single(p => (string)p!["code"]! == "can-maintain-user-roles")!;
        Assert.Equal("Administrator", (string)administrator["sources"]![0]!["roleName"]!);
        var bgm = await (
            await admin.GetAsync($"roles/{await admin.RoleIdAsync("Business Group Manager")}")
        ).ReadAsync();
        Assert.Equal(10, bgm["grants"]!.AsArray().Count);
    }

    [Fact]
    public async Task Roles_are_created_read_edited_with_if_match_and_copied()
    {
        var admin = await api.CreateTenantAsync();
        var created = await admin.PostAsync(
            "roles",
            TenantClient.RoleBody("Sales", ("manage-order-discounts", 5), ("can-manage-sales-orders", null))
        );
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var role = await created.ReadAsync();
        var id = (string)role["id"]!;
        Assert.Equal($"/api/tenants/{admin.Tenant}/roles/{id}", created.Headers.Location!.OriginalString);
        Assert.Equal(5, (int)role["grants"]![0]!["qualifier"]!);

        var read = await admin.GetAsync($"roles/{id}");
        var etag = read.Headers.ETag!.Tag;
        var edited = await admin.PutAsync(
            $"roles/{id}",
            TenantClient.RoleBody("Sales", ("manage-order-discounts", 10)),
            etag
        );
        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        Assert.Equal(10, (int)(await edited.ReadAsync())["grants"]![0]!["qualifier"]!);
        Assert.Equal(
            HttpStatusCode.PreconditionFailed,
            (await admin.PutAsync($"roles/{id}", TenantClient.RoleBody("Sales 2"), etag)).StatusCode
        );

        var copy = await admin.PostAsync($"roles/{id}/copy", new { name = "Sales Copy" });
        Assert.Equal(HttpStatusCode.Created, copy.StatusCode);
        var copied = await copy.ReadAsync();
        Assert.Equal("Sales Copy", (string)copied["name"]!);
        Assert.Equal("manage-order-discounts", (string)copied["grants"]![0]!["featureCode"]!);
        Assert.Equal(
            HttpStatusCode.NotFound,
            (await admin.PostAsync($"roles/{Guid.NewGuid()}/copy", new { name = "X" })).StatusCode
        );
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"roles/{Guid.NewGuid()}")).StatusCode);
    }

    [Fact]
    public async Task Bad_roles_are_refused_naming_the_field()
    {
        var admin = await api.CreateTenantAsync();
        await admin.PostAsync("roles", TenantClient.RoleBody("Cashiers"));
        var duplicate = await admin.PostAsync("roles", TenantClient.RoleBody(" CASHIERS "));
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Equal(["name"], (await duplicate.ErrorsAsync()).Keys);
        Assert.Equal(["name"], (await (await admin.PostAsync("roles", TenantClient.RoleBody(""))).ErrorsAsync()).Keys);
        Assert.Equal(
            ["grants[0].featureCode"],
            (
                await (
                    await admin.PostAsync("roles", TenantClient.RoleBody("X", ("no-such-feature", null)))
                ).ErrorsAsync()
            ).Keys
        );
        Assert.Equal(
            ["grants[1].featureCode"],
            (
                await (
                    await admin.PostAsync(
                        "roles",
                        TenantClient.RoleBody("X", ("can-move-stock", null), ("can-move-stock", 1))
                    )
                ).ErrorsAsync()
            ).Keys
        );
        var nullGrant = await admin.Http.PostAsync(
            admin.Url("roles"),
            new StringContent("{\"name\": \"X\", \"grants\": [null]}", System.Text.Encoding.UTF8, "application/json")
        );
        Assert.Equal(["grants[0]"], (await nullGrant.ErrorsAsync()).Keys);
        Assert.Equal(
            ["grants[0].qualifier"],
            (
                await (await admin.PostAsync("roles", TenantClient.RoleBody("X", ("can-move-stock", -1)))).ErrorsAsync()
            ).Keys
        );
        var malformed = await admin.Http.PostAsync(
            admin.Url("roles"),
            new StringContent("{\"name\": 5", System.Text.Encoding.UTF8, "application/json")
        );
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
    }

    [Fact]
    public async Task A_held_role_is_deleted_only_when_asked_to_unassign_it_and_each_holder_loses_it_audited()
    {
        var admin = await api.CreateTenantAsync();
        var role = (string)
            (
                await (
                    await admin.PostAsync("roles", TenantClient.RoleBody("Stock", ("can-move-stock", null)))
                ).ReadAsync()
            )["id"]!;
        var user = (string)(await admin.CreateUserAsync(TenantClient.NewUser("Hold", "Er")))["id"]!;
        Assert.Equal(
            HttpStatusCode.OK,
            (await admin.Http.PutAsync(admin.Url($"users/{user}/roles/{role}"), null)).StatusCode
        );

        var refused = await admin.DeleteAsync($"roles/{role}");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var holders = (await refused.ReadAsync())["holders"]!.AsArray();
        Assert.Equal("Hold Er", (string)Assert.Single(holders)!["name"]!);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"roles/{role}?unassign=true")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"roles/{role}")).StatusCode);
        var check = await (
            await admin.PostAsync("authorization/check", new { userId = user, feature = "can-move-stock" })
        ).ReadAsync();
        Assert.False((bool)check["allowed"]!);
        var audit = await (await admin.GetAsync($"audit?type=role_unassigned")).ReadAsync();
        Assert.Contains("was deleted", audit.ToJsonString());
        // The name is free again; the deleted role's history stays in the audit log.
        Assert.Equal(
            HttpStatusCode.Created,
            (await admin.PostAsync("roles", TenantClient.RoleBody("Stock"))).StatusCode
        );
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync($"roles/{role}")).StatusCode);
    }

    [Fact]
    public async Task Managing_roles_needs_can_maintain_user_roles()
    {
        var admin = await api.CreateTenantAsync();
        await admin.CreateUserAsync(TenantClient.NewUser("No", "Rights", "norights", password: "no-rights-pw-1"));
        var user = new TenantClient(api.CreateClient(), admin.Tenant);
        await user.LogInAsync("norights", "no-rights-pw-1");
        Assert.Equal(
            HttpStatusCode.Forbidden,
            (await user.PostAsync("roles", TenantClient.RoleBody("Mine"))).StatusCode
        );
        Assert.Equal(HttpStatusCode.Forbidden, (await user.GetAsync("roles")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await user.GetAsync("users")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.CreateClient().GetAsync(admin.Url("roles"))).StatusCode);
        // Their own permissions are always theirs to see (front ends build their menus from them).
        Assert.Empty((await (await user.GetAsync("me/permissions")).ReadAsync())["permissions"]!.AsArray());
    }
}
