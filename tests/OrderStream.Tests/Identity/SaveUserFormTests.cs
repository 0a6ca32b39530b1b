using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OrderStream.Tests.TestKit;
using Xunit;

namespace OrderStream.Tests.Identity;

/// <summary>The user form's one "Save changes": all or nothing, never over another's change (issue #21).</summary>
public sealed class SaveUserFormTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task One_save_applies_fields_roles_sale_points_stores_default_store_and_status_together()
    {
        var (admin, id, place) = await SetUpAsync();
        var (version, _) = await ReadAsync(admin, id);

        var saved = await SaveAsync(
            admin,
            id,
            version,
            Form(
                first: "Evelyn",
                extra: new()
                {
                    ["assignRoles"] = new JsonArray(place.RoleId),
                    ["addSalePoints"] = new JsonArray(
                        new JsonObject { ["salePointId"] = place.SalePointId, ["roleId"] = place.RoleId }
                    ),
                    ["addStores"] = new JsonArray(place.StoreId),
                    ["defaultStoreId"] = place.StoreId,
                    ["isActive"] = false,
                    ["reason"] = "parental leave",
                }
            )
        );

        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.NotEqual(version, saved.Headers.ETag!.Tag);
        var (_, user) = await ReadAsync(admin, id);
        Assert.Equal("Evelyn", (string)user["firstName"]!);
        Assert.False((bool)user["isActive"]!);
        var access = await (await admin.GetAsync($"users/{id}/access")).ReadAsync();
        Assert.Equal(place.RoleId, (string)access["roles"]![0]!["roleId"]!);
        var salePoints = await (await admin.GetAsync($"users/{id}/sale-points")).ReadAsync();
        Assert.Equal(place.SalePointId, (string)salePoints["salePoints"]![0]!["salePointId"]!);
        var stores = await (await admin.GetAsync($"users/{id}/stores")).ReadAsync();
        Assert.Equal(place.StoreId, (string)stores["defaultStoreId"]!);
    }

    [Fact]
    public async Task A_refused_part_refuses_the_whole_form_and_names_its_field()
    {
        var (admin, id, place) = await SetUpAsync();
        var (version, _) = await ReadAsync(admin, id);

        // The default store is not among the user's stores: the name, the role and the sale point stay as they were.
        var refused = await SaveAsync(
            admin,
            id,
            version,
            Form(
                first: "Evelyn",
                extra: new()
                {
                    ["assignRoles"] = new JsonArray(place.RoleId),
                    ["addSalePoints"] = new JsonArray(
                        new JsonObject { ["salePointId"] = place.SalePointId, ["roleId"] = place.RoleId }
                    ),
                    ["defaultStoreId"] = place.StoreId,
                }
            )
        );
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(["defaultStoreId"], (await refused.ErrorsAsync()).Keys);
        var badEmail = await SaveAsync(admin, id, version, Form(first: "Evelyn", email: "not-an-address"));
        Assert.Equal(["email"], (await badEmail.ErrorsAsync()).Keys);

        var (after, user) = await ReadAsync(admin, id);
        Assert.Equal(version, after);
        Assert.Equal("Eva", (string)user["firstName"]!);
        Assert.Empty((await (await admin.GetAsync($"users/{id}/access")).ReadAsync())["roles"]!.AsArray());
        Assert.Empty((await (await admin.GetAsync($"users/{id}/sale-points")).ReadAsync())["salePoints"]!.AsArray());
    }

    [Fact]
    public async Task A_right_role_or_place_that_does_not_exist_is_a_problem_of_the_field_that_names_it()
    {
        var (admin, id, place) = await SetUpAsync();
        var (version, _) = await ReadAsync(admin, id);
        var nowhere = Guid.NewGuid().ToString();
        (string Field, JsonNode Value)[] unknown =
        [
            ("grantFeatures", new JsonArray(new JsonObject { ["featureCode"] = "no-such-feature" })),
            ("revokeFeatures", new JsonArray("no-such-feature")),
            ("assignRoles", new JsonArray(nowhere)),
            ("addSalePoints", new JsonArray(new JsonObject { ["salePointId"] = nowhere, ["roleId"] = place.RoleId })),
            (
                "addSalePoints",
                new JsonArray(new JsonObject { ["salePointId"] = place.SalePointId, ["roleId"] = nowhere })
            ),
            ("addStores", new JsonArray(nowhere)),
            ("defaultStoreId", JsonValue.Create(nowhere)),
        ];
        foreach (var (field, value) in unknown)
        {
            var refused = await SaveAsync(admin, id, version, Form(first: "Eva", extra: new() { [field] = value }));
            Assert.True(refused.StatusCode == HttpStatusCode.BadRequest, $"{field}: {refused.StatusCode}");
            Assert.Equal([field], (await refused.ErrorsAsync()).Keys);
        }
        Assert.Equal(version, (await ReadAsync(admin, id)).Item1);
    }

    [Fact]
    public async Task A_stale_form_says_who_changed_the_user_and_writes_nothing()
    {
        var (admin, id, _) = await SetUpAsync();
        var (version, _) = await ReadAsync(admin, id);
        await admin.CreateUserAsync(
            TenantClient.NewUser("Max", "Other", login: "mother", password: "other-password-1")
        );
        var other = new TenantClient(api.CreateClient(), admin.Tenant);
        await other.LogInAsync("mother", "other-password-1");
        await admin.GiveRoleAsync(other.UserId!, "Administrator");
        var (_, user) = await ReadAsync(admin, id);
        (
            await other.PutAsync($"users/{id}", Form(first: "Changed", login: (string)user["loginCode"]!), version)
        ).EnsureSuccessStatusCode();

        var stale = await SaveAsync(admin, id, version, Form(first: "Mine", login: (string)user["loginCode"]!));

        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Contains("Max Other changed this user", (string)(await stale.ReadAsync())["detail"]!);
        Assert.Equal("Changed", (string)(await ReadAsync(admin, id)).User["firstName"]!);
        var without = await admin.PutAsync($"users/{id}/form", Form(first: "Mine", login: (string)user["loginCode"]!));
        Assert.Equal((HttpStatusCode)428, without.StatusCode);
        Assert.Contains("If-Match", (string)(await without.ReadAsync())["detail"]!);
    }

    [Fact]
    public async Task The_back_office_type_and_its_rights_are_saved_together_and_a_right_of_another_type_refuses_all()
    {
        var (admin, id, _) = await SetUpAsync();
        var (version, _) = await ReadAsync(admin, id);

        // The type is given in the same save as its rights: they are judged by the type the save gives.
        var saved = await SaveAsync(
            admin,
            id,
            version,
            Form(
                first: "Eva",
                extra: new()
                {
                    ["type"] = "BusinessGroupManager",
                    ["grantFeatures"] = new JsonArray(
                        new JsonObject { ["featureCode"] = "may-define-credit-limits" },
                        new JsonObject { ["featureCode"] = "may-access-catalog" }
                    ),
                }
            )
        );
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Equal(["may-access-catalog", "may-define-credit-limits"], await GrantsAsync(admin, id));

        // A Production Coordinator's right for a user who stays a Business Group Manager: refused, nothing written.
        var refused = await SaveAsync(
            admin,
            id,
            saved.Headers.ETag!.Tag,
            Form(
                first: "Changed",
                extra: new()
                {
                    ["type"] = "BusinessGroupManager",
                    ["grantFeatures"] = new JsonArray(new JsonObject { ["featureCode"] = "may-add-edit-suppliers" }),
                    ["revokeFeatures"] = new JsonArray("may-access-catalog"),
                }
            )
        );
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal(["grantFeatures"], (await refused.ErrorsAsync()).Keys);
        Assert.Contains("only for ProductionCoordinator users", (string)(await refused.ReadAsync())["detail"]!);
        Assert.Equal("Eva", (string)(await ReadAsync(admin, id)).User["firstName"]!);
        Assert.Equal(["may-access-catalog", "may-define-credit-limits"], await GrantsAsync(admin, id));
    }

    [Fact]
    public async Task Future_sale_points_and_stores_chosen_in_the_form_are_added_when_created()
    {
        var (admin, id, place) = await SetUpAsync();
        var (version, _) = await ReadAsync(admin, id);

        var saved = await SaveAsync(
            admin,
            id,
            version,
            Form(first: "Eva", extra: new() { ["futureSalePointsRoleId"] = place.RoleId, ["futureStores"] = true })
        );
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var newSalePoint = (string)
            (await (await admin.PostAsync("sale-points", new { code = "SP2", name = "Two" })).ReadAsync())["id"]!;
        var newStore = (string)
            (await (await admin.PostAsync("stores", new { code = "ST2", name = "Annex" })).ReadAsync())["id"]!;

        var locations = await (await admin.GetAsync($"users/{id}/sale-points")).ReadAsync();
        Assert.Equal(place.RoleId, (string)locations["futureSalePointsRoleId"]!);
        Assert.True((bool)locations["futureStores"]!);
        Assert.Contains(newSalePoint, locations["salePoints"]!.AsArray().Select(s => (string)s!["salePointId"]!));
        Assert.Contains(newStore, locations["stores"]!.AsArray().Select(s => (string)s!["storeId"]!));
        // The sale point that was there before is not added by choosing future ones.
        Assert.DoesNotContain(
            place.SalePointId,
            locations["salePoints"]!.AsArray().Select(s => (string)s!["salePointId"]!)
        );

        var stopped = await SaveAsync(
            admin,
            id,
            (await ReadAsync(admin, id)).Version,
            Form(first: "Eva", extra: new() { ["stopFutureSalePoints"] = true, ["futureStores"] = false })
        );
        Assert.Equal(HttpStatusCode.OK, stopped.StatusCode);
        var after = await (await admin.GetAsync($"users/{id}/sale-points")).ReadAsync();
        Assert.Null(after["futureSalePointsRoleId"]);
        Assert.False((bool)after["futureStores"]!);
    }

    [Fact]
    public async Task A_role_for_System_Administrators_is_given_in_the_save_that_makes_the_user_one()
    {
        var (admin, id, _) = await SetUpAsync();
        var ops = (string)
            (
                await (
                    await admin.PostAsync("roles", TenantClient.RoleBody("Ops", ("randomise-all-names", null)))
                ).ReadAsync()
            )["id"]!;
        var (version, _) = await ReadAsync(admin, id);

        var saved = await SaveAsync(
            admin,
            id,
            version,
            Form(first: "Eva", extra: new() { ["isSystemAdministrator"] = true, ["assignRoles"] = new JsonArray(ops) })
        );

        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.True((bool)(await saved.ReadAsync())["isSystemAdministrator"]!);
    }

    private static async Task<string[]> GrantsAsync(TenantClient admin, string id) =>
        [
            .. (await (await admin.GetAsync($"users/{id}/access")).ReadAsync())["grants"]!
                .AsArray()
                .Select(g => (string)g!["featureCode"]!)
                .Order(StringComparer.Ordinal),
        ];

    private sealed record Place(string RoleId, string SalePointId, string StoreId);

    private async Task<(TenantClient Admin, string Id, Place Place)> SetUpAsync()
    {
        var admin = await api.CreateTenantAsync();
        var user = await admin.CreateUserAsync(TenantClient.NewUser("Eva", "Berger", login: "eberger"));
        var role = await admin.RoleIdAsync("POS Cashier");
        var salePoint = (string)
            (await (await admin.PostAsync("sale-points", new { code = "SP1", name = "One" })).ReadAsync())["id"]!;
        var store = (string)
            (await (await admin.PostAsync("stores", new { code = "ST1", name = "Depot" })).ReadAsync())["id"]!;
        return (admin, (string)user["id"]!, new Place(role, salePoint, store));
    }

    private static async Task<(string Version, JsonObject User)> ReadAsync(TenantClient admin, string id)
    {
        var response = await admin.GetAsync($"users/{id}");
        return (response.Headers.ETag!.Tag, await response.ReadAsync());
    }

    private static JsonObject Form(
        string first,
        string login = "eberger",
        string? email = null,
        Dictionary<string, JsonNode?>? extra = null
    )
    {
        var form = new JsonObject
        {
            ["firstName"] = first,
            ["lastName"] = "Berger",
            ["loginCode"] = login,
            ["email"] = email,
        };
        foreach (var (key, value) in extra ?? [])
            form[key] = value;
        return form;
    }

    private static Task<HttpResponseMessage> SaveAsync(
        TenantClient admin,
        string id,
        string version,
        JsonObject form
    ) => admin.PutAsync($"users/{id}/form", form, version);
}
