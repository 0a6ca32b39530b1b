using System.Net;
using System.Text.Json.Nodes;
using OrderStream.Tests.TestKit;
using Xunit;

namespace OrderStream.Tests.SalePoints;

/// <summary>
/// A user's sale points with the role at each, and stores with the default store (issue #4, seed 002 items 7-12).
/// </summary>
public sealed class AssignmentTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    internal static async Task<string> SalePointAsync(TenantClient admin, string code, object? assign = null)
    {
        var response = await admin.PostAsync(
            "sale-points",
            new
            {
                code,
                name = $"Shop {code}",
                assign,
            }
        );
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (string)(await response.ReadAsync())["id"]!;
    }

    internal static async Task<string> StoreAsync(TenantClient admin, string code)
    {
        var response = await admin.PostAsync("stores", new { code, name = $"Store {code}" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (string)(await response.ReadAsync())["id"]!;
    }

    private static string[] SalePoints(JsonObject locations) =>
        locations["salePoints"]!.AsArray().Select(s => $"{s!["code"]}:{s["roleName"]}").ToArray();

    [Fact]
    public async Task Sale_points_are_added_with_a_role_changed_removed_and_added_all_at_once()
    {
        var admin = await api.CreateTenantAsync();
        var user = (string)(await admin.CreateUserAsync(TenantClient.NewUser()))["id"]!;
        var (sp1, sp2) = (await SalePointAsync(admin, "SP1"), await SalePointAsync(admin, "SP2"));
        var (cashier, manager) = (await admin.RoleIdAsync("POS Cashier"), await admin.RoleIdAsync("Store Manager"));
        var path = $"users/{user}/sale-points";
        Assert.Empty((await (await admin.GetAsync(path)).ReadAsync())["salePoints"]!.AsArray());

        var added = await admin.PostAsync(path, new { salePointId = sp1, roleId = cashier });
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        Assert.Equal(["SP1:POS Cashier"], SalePoints(await added.ReadAsync()));
        // The same again changes nothing; another role there is a conflict that says how to change it.
        Assert.Equal(
            HttpStatusCode.OK,
            (await admin.PostAsync(path, new { salePointId = sp1, roleId = cashier })).StatusCode
        );
        var twice = await admin.PostAsync(path, new { salePointId = sp1, roleId = manager });
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        Assert.Contains("change the role", (string)(await twice.ReadAsync())["detail"]!);

        var changed = await admin.PutAsync($"{path}/{sp1}", new { roleId = manager });
        Assert.Equal(["SP1:Store Manager"], SalePoints(await changed.ReadAsync()));
        // "Add all" adds the missing ones with the role given, and keeps the role the user has where they are already.
        var all = await admin.PostAsync($"{path}/all", new { roleId = cashier });
        Assert.Equal(["SP1:Store Manager", "SP2:POS Cashier"], SalePoints(await all.ReadAsync()));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync($"{path}/{Guid.NewGuid()}")).StatusCode);
        var removed = await admin.DeleteAsync($"{path}/{sp2}");
        Assert.Equal(["SP1:Store Manager"], SalePoints(await removed.ReadAsync()));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync($"{path}/{sp2}")).StatusCode);
        var cleared = await admin.DeleteAsync(path);
        Assert.Empty((await cleared.ReadAsync())["salePoints"]!.AsArray());

        // Each change is audited with what it did, the state before and after.
        var audit = (await (await admin.GetAsync($"audit?type=user_locations_set")).ReadAsync())["items"]!.AsArray();
        Assert.Equal(
            [
                "removed every sale point",
                "removed sale point SP2 (Shop SP2)",
                "added every sale point with role POS Cashier",
                "role at sale point SP1 (Shop SP1) set to Store Manager",
                "added sale point SP1 (Shop SP1) with role POS Cashier",
            ],
            audit.Select(e => (string)e!["data"]!["Change"]!)
        );
    }

    [Fact]
    public async Task Bad_input_unknown_things_stale_versions_and_tier_rules_are_refused_clearly()
    {
        var admin = await api.CreateTenantAsync();
        var user = (string)(await admin.CreateUserAsync(TenantClient.NewUser()))["id"]!;
        var sp1 = await SalePointAsync(admin, "SP1");
        var store = await StoreAsync(admin, "ST1");
        var cashier = await admin.RoleIdAsync("POS Cashier");
        var path = $"users/{user}/sale-points";

        Assert.Equal(
            ["salePointId"],
            (await (await admin.PostAsync(path, new { roleId = cashier })).ErrorsAsync()).Keys
        );
        Assert.Equal(["roleId"], (await (await admin.PostAsync(path, new { salePointId = sp1 })).ErrorsAsync()).Keys);
        Assert.Equal(
            ["roleId"],
            (await (await admin.PostAsync($"{path}/all", new { includeFuture = true })).ErrorsAsync()).Keys
        );
        Assert.Equal(
            HttpStatusCode.NotFound,
            (await admin.PostAsync(path, new { salePointId = sp1, roleId = Guid.NewGuid() })).StatusCode
        );
        // A store is not a sale point.
        Assert.Equal(
            HttpStatusCode.NotFound,
            (await admin.PostAsync(path, new { salePointId = store, roleId = cashier })).StatusCode
        );
        Assert.Equal(
            HttpStatusCode.NotFound,
            (
                await admin.PostAsync(
                    $"users/{Guid.NewGuid()}/sale-points",
                    new { salePointId = sp1, roleId = cashier }
                )
            ).StatusCode
        );
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"users/{Guid.NewGuid()}/sale-points")).StatusCode);

        var first = await admin.PostAsync(path, new { salePointId = sp1, roleId = cashier });
        var etag = first.Headers.ETag!.Tag;
        Assert.Equal("\"1\"", etag);
        await admin.PutAsync($"{path}/{sp1}", new { roleId = await admin.RoleIdAsync("Store Manager") }, etag);
        var stale = await admin.PutAsync($"{path}/{sp1}", new { roleId = cashier }, etag);
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);

        // A user manager who is not a System Administrator cannot give a role with a System Administrator feature at a
        // sale point.
        var strong = await admin.PostAsync("roles", TenantClient.RoleBody("Support", ("is-system-manager", null)));
        var strongId = (string)(await strong.ReadAsync())["id"]!;
        var manager = await admin.CreateUserAsync(
            TenantClient.NewUser("Max", "Muster", "max", password: "manager-password-1")
        );
        await admin.GiveRoleAsync((string)manager["id"]!, "Administrator");
        var asManager = new TenantClient(api.CreateClient(), admin.Tenant);
        await asManager.LogInAsync("max", "manager-password-1");
        var refused = await asManager.PostAsync(path, new { salePointId = sp1, roleId = strongId });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("System Administrator", (string)(await refused.ReadAsync())["detail"]!);
        // ...and a role held at a sale point cannot be deleted out from under its holders.
        var held = await admin.DeleteAsync($"roles/{await admin.RoleIdAsync("Store Manager")}?unassign=true");
        Assert.Equal(HttpStatusCode.Conflict, held.StatusCode);
        Assert.Equal(
            [sp1],
            (await held.ReadAsync())["holders"]![0]!["salePointIds"]!.AsArray().Select(s => (string)s!)
        );
    }

    [Fact]
    public async Task A_new_sale_point_goes_to_users_who_take_future_ones_to_chosen_users_and_to_those_who_had_all()
    {
        var admin = await api.CreateTenantAsync();
        var (cashier, manager) = (await admin.RoleIdAsync("POS Cashier"), await admin.RoleIdAsync("Store Manager"));
        var future = (string)(await admin.CreateUserAsync(TenantClient.NewUser("Fu", "Ture")))["id"]!;
        var chosen = (string)(await admin.CreateUserAsync(TenantClient.NewUser("Cho", "Sen")))["id"]!;
        var complete = (string)(await admin.CreateUserAsync(TenantClient.NewUser("Com", "Plete")))["id"]!;
        var partial = (string)(await admin.CreateUserAsync(TenantClient.NewUser("Par", "Tial")))["id"]!;
        var (sp1, sp2) = (await SalePointAsync(admin, "SP1"), await SalePointAsync(admin, "SP2"));
        await admin.PostAsync($"users/{future}/sale-points/all", new { roleId = cashier, includeFuture = true });
        await admin.PostAsync($"users/{complete}/sale-points", new { salePointId = sp1, roleId = manager });
        await admin.PostAsync($"users/{complete}/sale-points", new { salePointId = sp2, roleId = manager });
        await admin.PostAsync($"users/{partial}/sale-points", new { salePointId = sp1, roleId = manager });

        await SalePointAsync(
            admin,
            "SP3",
            new
            {
                userIds = new[] { chosen },
                usersWithAllOthers = true,
                roleId = cashier,
            }
        );
        async Task<string[]> Of(string user) =>
            SalePoints(await (await admin.GetAsync($"users/{user}/sale-points")).ReadAsync());
        Assert.Equal(["SP1:POS Cashier", "SP2:POS Cashier", "SP3:POS Cashier"], await Of(future));
        Assert.Equal(["SP3:POS Cashier"], await Of(chosen));
        Assert.Equal(["SP1:Store Manager", "SP2:Store Manager", "SP3:POS Cashier"], await Of(complete));
        Assert.Equal(["SP1:Store Manager"], await Of(partial));
        // Without a role, a user who had all the others gets the role they hold at most of them.
        await SalePointAsync(admin, "SP4", new { usersWithAllOthers = true });
        Assert.Equal(
            ["SP1:Store Manager", "SP2:Store Manager", "SP3:POS Cashier", "SP4:Store Manager"],
            await Of(complete)
        );
        Assert.Equal(
            "POS Cashier",
            (string)
                (await (await admin.GetAsync($"users/{future}/sale-points")).ReadAsync())["futureSalePointsRoleName"]!
        );

        // Chosen users need a role; assign is for creation only.
        var noRole = await admin.PostAsync(
            "sale-points",
            new
            {
                code = "SP5",
                name = "Five",
                assign = new { userIds = new[] { chosen } },
            }
        );
        Assert.Equal(["assign.roleId"], (await noRole.ErrorsAsync()).Keys);
        var onEdit = await admin.PutAsync(
            $"sale-points/{sp1}",
            new
            {
                code = "SP1",
                name = "One",
                assign = new { usersWithAllOthers = true },
            }
        );
        Assert.Equal(["assign"], (await onEdit.ErrorsAsync()).Keys);
        var unknownUser = await admin.PostAsync(
            "sale-points",
            new
            {
                code = "SP6",
                name = "Six",
                assign = new { userIds = new[] { chosen, Guid.NewGuid().ToString() }, roleId = cashier },
            }
        );
        Assert.Equal(HttpStatusCode.NotFound, unknownUser.StatusCode);
        // Nothing half-done: the sale point was not created either.
        var codes = (await (await admin.GetAsync("sale-points?status=all")).ReadAsync())["items"]!
            .AsArray()
            .Select(s => (string)s!["code"]!);
        Assert.DoesNotContain("SP6", codes);
    }

    [Fact]
    public async Task Stores_and_the_default_store_which_cannot_be_removed_while_it_is_the_default()
    {
        var admin = await api.CreateTenantAsync();
        var user = (string)(await admin.CreateUserAsync(TenantClient.NewUser()))["id"]!;
        var (st1, st2) = (await StoreAsync(admin, "ST1"), await StoreAsync(admin, "ST2"));
        var path = $"users/{user}";
        static string[] Stores(JsonObject l) =>
            l["stores"]!.AsArray().Select(s => $"{s!["code"]}{((bool)s["isDefault"]! ? "*" : "")}").ToArray();

        Assert.Equal(
            ["ST1"],
            Stores(await (await admin.PostAsync($"{path}/stores", new { storeId = st1 })).ReadAsync())
        );
        var notHeld = await admin.PutAsync($"{path}/default-store", new { storeId = st2 });
        Assert.Equal(["storeId"], (await notHeld.ErrorsAsync()).Keys);
        Assert.Contains("add it to the user first", (await notHeld.ErrorsAsync())["storeId"][0]);
        Assert.Equal(
            ["ST1*"],
            Stores(await (await admin.PutAsync($"{path}/default-store", new { storeId = st1 })).ReadAsync())
        );

        var removeDefault = await admin.DeleteAsync($"{path}/stores/{st1}");
        Assert.Equal(HttpStatusCode.Conflict, removeDefault.StatusCode);
        Assert.Contains("choose another default store first", (string)(await removeDefault.ReadAsync())["detail"]!);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.DeleteAsync($"{path}/stores")).StatusCode);

        Assert.Equal(
            ["ST1*", "ST2"],
            Stores(await (await admin.PostAsync($"{path}/stores/all", new { includeFuture = true })).ReadAsync())
        );
        await StoreAsync(admin, "ST3");
        Assert.Equal(["ST1*", "ST2", "ST3"], Stores(await (await admin.GetAsync($"{path}/stores")).ReadAsync()));
        await admin.PutAsync($"{path}/default-store", new { storeId = st2 });
        Assert.Equal(["ST2*", "ST3"], Stores(await (await admin.DeleteAsync($"{path}/stores/{st1}")).ReadAsync()));
        Assert.Equal(HttpStatusCode.OK, (await admin.DeleteAsync($"{path}/default-store")).StatusCode);
        Assert.Empty(Stores(await (await admin.DeleteAsync($"{path}/stores")).ReadAsync()));
        Assert.Equal(["storeId"], (await (await admin.PostAsync($"{path}/stores", new { })).ErrorsAsync()).Keys);
    }
}

/// <summary>
/// The user list's sale point filter and hover data, from Identity's read model fed by Sale Points' events.
/// </summary>
public sealed class UserListLocationTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task The_user_list_filters_by_sale_point_and_each_row_carries_the_users_active_sale_points_and_stores()
    {
        var admin = await api.CreateTenantAsync();
        var cashier = await admin.RoleIdAsync("POS Cashier");
        var anna = (string)(await admin.CreateUserAsync(TenantClient.NewUser("Anna", "Aigner")))["id"]!;
        var bert = (string)(await admin.CreateUserAsync(TenantClient.NewUser("Bert", "Bauer")))["id"]!;
        var (sp1, sp2) = (
            await AssignmentTests.SalePointAsync(admin, "SP1"),
            await AssignmentTests.SalePointAsync(admin, "SP2")
        );
        var store = await AssignmentTests.StoreAsync(admin, "ST1");
        await admin.PostAsync($"users/{anna}/sale-points", new { salePointId = sp1, roleId = cashier });
        await admin.PostAsync($"users/{anna}/sale-points", new { salePointId = sp2, roleId = cashier });
        await admin.PostAsync($"users/{anna}/stores", new { storeId = store });
        await admin.PostAsync($"users/{bert}/sale-points", new { salePointId = sp2, roleId = cashier });
        await api.WaitForDeliveryAsync();

        async Task<JsonArray> List(string query) =>
            (await (await admin.GetAsync($"users?{query}")).ReadAsync())["items"]!.AsArray();
        Assert.Equal(["Aigner"], (await List($"salePointId={sp1}")).Select(u => (string)u!["lastName"]!));
        Assert.Equal(["Aigner", "Bauer"], (await List($"salePointId={sp2}")).Select(u => (string)u!["lastName"]!));
        Assert.Equal(["Aigner"], (await List($"salePointId={sp2}&search=anna")).Select(u => (string)u!["lastName"]!));
        Assert.Empty(await List($"salePointId={Guid.NewGuid()}"));
        var row = (await List($"salePointId={sp1}"))[0]!;
        Assert.Equal(["SP1", "SP2"], row["salePoints"]!.AsArray().Select(s => (string)s!["code"]!));
        Assert.Equal(["ST1"], row["stores"]!.AsArray().Select(s => (string)s!["code"]!));

        // A deactivated sale point leaves the hover data (the assignment stays); a renamed one shows its new name.
        await admin.PostAsync($"sale-points/{sp1}/deactivate", null);
        var read = await admin.GetAsync($"sale-points/{sp2}");
        await admin.PutAsync($"sale-points/{sp2}", new { code = "SP2", name = "Renamed" }, read.Headers.ETag!.Tag);
        await api.WaitForDeliveryAsync();
        row = (await List($"salePointId={sp1}"))[0]!;
        Assert.Equal(["SP2:Renamed"], row["salePoints"]!.AsArray().Select(s => $"{s!["code"]}:{s["name"]}"));
        Assert.Equal(["salePointId"], (await (await admin.GetAsync("users?salePointId=nope")).ErrorsAsync()).Keys);

        // Status and name changes of the users themselves are followed at once; the order is the list's own.
        await admin.PostAsync($"users/{bert}/deactivate", new { reason = "left" });
        var readAnna = await admin.GetAsync($"users/{anna}");
        var annaBody = await readAnna.ReadAsync();
        annaBody["lastName"] = "Zimmer";
        Assert.Equal(
            HttpStatusCode.OK,
            (await admin.PutAsync($"users/{anna}", annaBody, readAnna.Headers.ETag!.Tag)).StatusCode
        );
        string[] Names(JsonArray items) => items.Select(u => $"{u!["lastName"]}").ToArray();
        Assert.Equal(["Zimmer"], Names(await List($"salePointId={sp2}")));
        Assert.Equal(["Bauer"], Names(await List($"salePointId={sp2}&status=inactive")));
        Assert.Equal(["Bauer", "Zimmer"], Names(await List($"salePointId={sp2}&status=all")));
        Assert.Equal(["Zimmer", "Bauer"], Names(await List($"salePointId={sp2}&status=all&order=desc")));
        Assert.Equal(["Bauer"], Names(await List($"salePointId={sp2}&status=all&pageSize=1&page=2&order=desc")));
        Assert.Equal(
            2,
            (long)(await (await admin.GetAsync($"users?salePointId={sp2}&status=all&pageSize=1")).ReadAsync())["total"]!
        );
        // Another order takes the general way (a filter on the same table inside the list's query).
        Assert.Equal(["Bauer", "Zimmer"], Names(await List($"salePointId={sp2}&status=all&sort=createdAt")).Order());
    }
}
